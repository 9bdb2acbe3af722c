def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
it.prepare(new File(itFixtures), 'three-revisions')
it.upgrade(null)
// an incident's hotfix index, to keep
it.execute('CREATE INDEX ix_hotfix ON users (name)')
