def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def lines = it.log().readLines()
assert lines.contains('[WARNING] Live database against revision 3 built by the migrations (alembic_version and '
        + 'public.flyway_schema_history left out)')
assert lines.contains('[WARNING]   + index public.ix_sites_name')
assert it.log().contains('on project db-baseline-refused: The database does not hold revision 3: 1 difference '
        + '(listed above and in target/bemserver/baseline-report.txt); nothing was written: return it to revision 3, '
        + 'baseline it at the revision it holds, or record it as it is with -Dbemserver.acceptDifferences=true '
        + '-> [Help 1]')
assert new File(basedir, 'target/bemserver/baseline-report.txt').readLines().contains('  + index public.ix_sites_name')
// nothing written: no history table, Alembic's row as it was, the schema untouched
assert !it.tables().contains('flyway_schema_history')
assert it.column('SELECT version_num FROM alembic_version') == ['3']
assert it.schema() == context.get('schemaBefore')
assert it.noThrowawayLeft()
