def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
assert it.log().contains('[INFO] Skipping db-upgrade: bemserver.skip is true')
assert it.tables() == []
