def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
it.prepare(new File(itFixtures), 'three-revisions')
it.alembicInstallation('2', '2')
context.put('schemaBefore', it.schema())
