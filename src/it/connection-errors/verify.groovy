def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
def failure = 'on project connection-errors: '
def uri = { host, port, db -> "postgresql+psycopg://${itPgUser}:***@${host}:${port}/${db}" }
def expected = [
    'BEMSERVER_IT_UNSET is not set: set it to the database URI, e.g. export BEMSERVER_IT_UNSET=postgresql+psycopg://user:password@localhost:5432/bemserver (or BEMSERVER_IT_UNSET=embedded for a local embedded PostgreSQL under target/bemserver)',
    'BEMSERVER_IT_BLANK is empty: set it to the database URI',
    "SQLALCHEMY_DATABASE_URI is not a valid database URI: it has no '://' after the scheme (expected e.g. postgresql+psycopg://user:password@localhost:5432/bemserver)",
    'mysql is not supported: this plugin drives PostgreSQL (SQLALCHEMY_DATABASE_URI must start with postgresql+psycopg://, postgresql:// or jdbc:postgresql://)',
    "Cannot connect to ${uri('no-such-host.invalid', 5432, 'connection_errors')}: unknown host no-such-host.invalid: check the host name in SQLALCHEMY_DATABASE_URI",
    "Cannot connect to ${uri('localhost', 1, 'connection_errors')}: connection refused by localhost:1: is PostgreSQL running and listening on port 1?",
    "Cannot connect to ${uri('localhost', itPgPort, 'connection_errors')}: password authentication failed for user ${itPgUser}: check the user and password in SQLALCHEMY_DATABASE_URI (or in the settings.xml <server> named by bemserver.serverId)",
    "Cannot connect to ${uri('localhost', itPgPort, 'no_such_database')}: database \"no_such_database\" does not exist: create it (createdb -h localhost -p ${itPgPort} -U ${itPgUser} no_such_database) or fix the database name in SQLALCHEMY_DATABASE_URI",
]
expected.each { line -> assert log.contains(failure + line), "missing: ${line}" }
assert log.count('BUILD FAILURE') == expected.size()
assert !log.contains('Wr0ng-')
// nothing was done to the database
assert it.tables() == []
