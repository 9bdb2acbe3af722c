org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword).prepare(new File(itFixtures), 'three-revisions')
// the model moves on: a new table with a foreign key, a new column, another default row
def model = new File(basedir, 'src/main/resources/db/model')
new File(model, '010-tables.sql').append('''
ALTER TABLE sites ADD COLUMN altitude real;
CREATE TABLE buildings (
    id serial PRIMARY KEY,
    site_id integer NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name varchar(80) NOT NULL
);
''')
new File(model, '900-default-rows.sql').append('''
INSERT INTO sites (id, name, timezone) VALUES (2, 'Lab', 'Europe/Paris');
SELECT pg_catalog.setval('sites_id_seq', 2, true);
''')
