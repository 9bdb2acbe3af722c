def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('[INFO] Database: postgresql://' + itPgUser + ':***@localhost:' + itPgPort + '/db_upgrade_server_id')
assert it.appliedRevisions() == ['1', '2', '3']
assert it.value('SELECT DISTINCT installed_by FROM flyway_schema_history') == itPgUser
// db-check asked the server for its major as the settings.xml <server>, not with the URI's password
assert !log.contains('Cannot ask the server')
assert !log.contains('password authentication failed')
assert log.contains('[INFO] Check passed: the migrations and the model build the same schema and reference rows')
