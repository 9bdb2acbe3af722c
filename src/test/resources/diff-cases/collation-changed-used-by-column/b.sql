CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level1', deterministic = false);
COMMENT ON COLLATION nocase IS 'also ignores accents';
CREATE TABLE tags (id int PRIMARY KEY, label text COLLATE nocase NOT NULL DEFAULT 'new');
CREATE UNIQUE INDEX ux_tags_label ON tags (label);
CREATE INDEX ix_tags_label_nocase ON tags (label COLLATE nocase DESC);
