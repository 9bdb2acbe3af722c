def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('[INFO] Database: postgresql://' + itPgUser + ':***@localhost:' + itPgPort + '/db_upgrade_server_id')
assert it.appliedRevisions() == ['1', '2', '3']
assert it.value('SELECT DISTINCT installed_by FROM flyway_schema_history') == itPgUser
