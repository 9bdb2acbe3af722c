def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('on project db-setup-remote-reset: Refusing to reset the database on db.example.invalid: '
        + '-Dbemserver.reset=true drops everything in schema public and db.example.invalid is not this machine; '
        + 'add -Dbemserver.allowRemoteReset=true if you mean it -> [Help 1]')
assert !log.contains('Cannot connect')
assert !log.contains('[INFO] Database:')
