CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE tags (id int PRIMARY KEY, label text COLLATE nocase NOT NULL DEFAULT 'new');
CREATE UNIQUE INDEX ux_tags_label ON tags (label);
CREATE INDEX ix_tags_label_nocase ON tags (label COLLATE nocase DESC);
