def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log =~ /--- bemserver:[^:]+:db-upgrade \(default\) @ db-upgrade-phase ---/
assert log.contains('[INFO] Database at revision 3')
assert it.appliedRevisions() == ['1', '2', '3']
