def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('[INFO] Reverting 3 - add site timezone (1/3)')
assert log.contains('[INFO] Reverting 2 - create sites (2/3)')
assert log.contains('on project db-downgrade-failing-undo: Undo script src/main/resources/db/migration/U2__create_sites.sql '
        + 'failed at line 2 (SQL state 42P01: table "no_such_table" does not exist); nothing was changed: the database stays '
        + 'at revision 3 -> [Help 1]')
// U3 ran and U2's first statement ran, and all of it was rolled back with the history
assert it.appliedRevisions() == ['1', '2', '3']
assert it.value('SELECT count(*) FROM sites') == '1'
assert it.schema() == context.get('schemaBefore')
