def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log =~ /on project db-upgrade-checksum-mismatch: The migrations do not match the database: V1__create_users.sql was changed after it was applied \(checksum -?\d+ recorded, -?\d+ on disk\): restore it as it was applied and put the change in a new revision -> \[Help 1\]/
assert !log.contains('Applying 3')
assert it.appliedRevisions() == ['1', '2']
