def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('on project db-setup-not-empty: The database is not empty: 3 tables, 2 sequences in schema public; '
        + 'db-setup builds an empty database from the model: bring this one to head with db-upgrade, or drop everything in it '
        + 'first with -Dbemserver.reset=true -> [Help 1]')
assert !log.contains('Applying model')
assert it.appliedRevisions() == ['1', '2']
assert it.schema() == context.get('schemaBefore')
