def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('on project db-setup-failing-model: Model file src/main/resources/db/model/900-default-rows.sql failed '
        + 'at line 3 (SQL state 42P01: relation "no_such_table" does not exist); nothing was changed (the reset was rolled '
        + 'back too): fix the model and run db-setup again -> [Help 1]')
assert log.contains('on project db-setup-failing-model: Model directory src/main/resources/db/nowhere does not exist: create '
        + 'it with the schema at head as plain SQL files (e.g. 010-tables.sql, 900-default-rows.sql), or set bemserver.model')
// the reset and the model were rolled back: revision 1 is still there
assert it.appliedRevisions() == ['1']
assert it.schema() == context.get('schemaBefore')
