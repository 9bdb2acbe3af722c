def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('on project db-downgrade-missing-undo: Cannot downgrade, nothing was changed: revision 2 has no undo script: '
        + 'write U2__create_sites.sql beside V2__create_sites.sql -> [Help 1]')
assert !log.contains('Reverting')
assert it.appliedRevisions() == ['1', '2', '3']
assert it.tables() == ['flyway_schema_history', 'sites', 'users']
