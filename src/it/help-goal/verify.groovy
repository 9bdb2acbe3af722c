def log = new File(basedir, 'build.log').text
['db-current', 'db-history', 'db-upgrade', 'help'].each { assert log.contains("bemserver:${it}") }
// every parameter carries its documentation and property
assert log.contains('Name of the environment variable that holds the database URI')
assert log.contains('User property: bemserver.uriEnv')
assert log.contains('The revision to upgrade to')
assert log.contains('User property: bemserver.revision')
assert log.contains('User property: bemserver.format')
