def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
def reached = log.readLines().findAll { it.startsWith('[INFO] Database at revision ') }
// 1: -Dbemserver.revision=1 over the default; 2: the POM's <revision>2</revision> over
// -Dbemserver.revision=3; 3: the default, head
assert reached == ['[INFO] Database at revision 1', '[INFO] Database at revision 2', '[INFO] Database at revision 3']
assert log.count('[INFO] Applying ') == 3
assert it.appliedRevisions() == ['1', '2', '3']
