def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
it.prepare(new File(itFixtures), 'three-revisions')
it.upgrade(null)
// an incident's hotfix index, a default changed in psql, a reference row edited
it.execute("CREATE INDEX ix_sites_name ON sites (name); "
        + "ALTER TABLE sites ALTER COLUMN timezone SET DEFAULT 'Europe/Paris'; "
        + "UPDATE sites SET name = 'Head office'")
