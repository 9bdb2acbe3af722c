// the database at revision 1, where the script written for revision 2 must not run
def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
it.prepare(new File(itFixtures), 'three-revisions')
it.upgrade('1')
true
