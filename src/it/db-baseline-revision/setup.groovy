def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
it.prepare(new File(itFixtures), 'three-revisions')
// a database built by hand to revision 3, with no version table at all
it.alembicInstallation('3', null)
