def log = new File(basedir, 'build.log').text
['db-current', 'db-history', 'db-upgrade', 'db-downgrade', 'db-setup', 'db-check', 'db-revision', 'db-drift', 'db-script', 'db-baseline', 'db-lint', 'help'].each { assert log.contains("bemserver:${it}") }
// every parameter carries its documentation and property
assert log.contains('Name of the environment variable that holds the database URI')
assert log.contains('User property: bemserver.uriEnv')
assert log.contains('The revision to upgrade to')
assert log.contains('User property: bemserver.revision')
assert log.contains('User property: bemserver.format')
// db-check's parameters are the throwaway server's and the model's; it needs no database URI, but
// reads the one bemserver.uriEnv names, when set (as bemserver.serverId's user), to run its throwaway
// databases on that server's major; it takes no lock there
def check = log.substring(log.indexOf('bemserver:db-check'), log.indexOf('bemserver:db-current'))
assert check.contains('User property: bemserver.devUri')
assert check.contains('User property: bemserver.stairway')
assert check.contains('User property: bemserver.uriEnv')
assert check.contains('User property: bemserver.serverId')
assert !check.contains('bemserver.lockWait')
