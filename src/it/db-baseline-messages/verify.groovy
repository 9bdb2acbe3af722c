def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
def refusal = ('The database has no history table public.flyway_schema_history but schema public holds 2 tables '
        + '(alembic_version says 2): adopt it with db-baseline first, which proves the revision it holds and records '
        + 'it; nothing was changed -> [Help 1]')
def current = '[WARNING] Current revision: none recorded by this plugin; alembic_version says 2: run db-baseline'
assert log.readLines().count { it == current } == 2 // db-current and db-history
assert log.contains('on project db-baseline-messages: ' + refusal)
assert log.findAll('on project db-baseline-messages: ' + java.util.regex.Pattern.quote(refusal)).size() == 2
assert log.contains('db-setup builds an empty database from the model: adopt this one with db-baseline (it has no '
        + 'history of this plugin), or drop everything in it first with -Dbemserver.reset=true')
// never Flyway's own advice
assert !log.contains('baselineOnMigrate')
assert !log.contains('baseline()')
assert !it.tables().contains('flyway_schema_history')
assert it.schema() == context.get('schemaBefore')
