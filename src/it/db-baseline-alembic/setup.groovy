def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
it.prepare(new File(itFixtures), 'three-revisions')
// as Alembic left it: revisions 1 and 2 applied by plain SQL, alembic_version = '2'; no history of ours
it.alembicInstallation('2', '2')
