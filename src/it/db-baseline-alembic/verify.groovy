def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def lines = it.log().readLines()
assert lines.contains('[WARNING] Current revision: none recorded by this plugin; alembic_version says 2: run db-baseline')
assert lines.contains('[INFO] Built revision 2 on a throwaway database')
assert lines.contains('[INFO] Baselined the database at revision 2: 2 scripts recorded as applied in '
        + 'public.flyway_schema_history (proven: the database holds exactly that revision); alembic_version left in '
        + 'place (report: target/bemserver/baseline-report.txt)')
assert lines.contains('[INFO] Current revision: 2 (1 pending: 3)')
assert lines.contains('[INFO] Applying 3 - add site timezone (1/1)')
assert lines.contains('[INFO] Current revision: 3 (head)')
assert it.appliedRevisions() == ['1', '2', '3']
// Alembic's table is left for the old tooling
assert it.column('SELECT version_num FROM alembic_version') == ['2']
assert new File(basedir, 'target/bemserver/baseline-report.txt').readLines() == [
        'Live database against revision 2 built by the migrations (alembic_version and public.flyway_schema_history left out)',
        '  same schema and reference rows']
assert it.noThrowawayLeft()
