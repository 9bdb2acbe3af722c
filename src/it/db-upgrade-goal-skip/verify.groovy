def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.count('[INFO] Skipping db-upgrade: bemserver.upgrade.skip is true') == 1
assert log.count('Skipping') == 1
assert log.contains('[INFO] Database at revision 3')
assert it.appliedRevisions() == ['1', '2', '3']
