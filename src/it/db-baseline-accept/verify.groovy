def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def lines = it.log().readLines()
assert lines.contains('[WARNING]   + index public.ix_sites_name')
assert lines.contains('[INFO] Baselined the database at revision 3: 3 scripts recorded as applied in '
        + 'public.flyway_schema_history (1 difference accepted, listed in target/bemserver/baseline-report.txt); '
        + 'alembic_version dropped (report: target/bemserver/baseline-report.txt)')
assert lines.contains('[INFO] Current revision: 3 (head)')
assert it.appliedRevisions() == ['1', '2', '3']
assert !it.tables().contains('alembic_version')
assert it.value("SELECT obj_description('flyway_schema_history'::regclass)") == ('db-baseline recorded revision 3 '
        + 'with 1 difference accepted (-Dbemserver.acceptDifferences): + index public.ix_sites_name')
assert new File(basedir, 'target/bemserver/baseline-report.txt').readLines().contains('  + index public.ix_sites_name')
