def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
it.prepare(new File(itFixtures), 'three-revisions')
it.alembicInstallation('3', '3')
it.execute('CREATE INDEX ix_sites_name ON sites (name)')
