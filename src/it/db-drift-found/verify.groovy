def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def lines = it.log().readLines()
assert lines.contains('[WARNING] Live database against revision 3 built by the migrations')
assert lines.contains('[WARNING]   + index public.ix_sites_name')
assert lines.contains("[WARNING]   ~ column public.sites.timezone: default 'UTC'::character varying -> "
        + "'Europe/Paris'::character varying")
assert lines.contains("[WARNING]   ~ rows public.sites: ~ (1, 'HQ', 'UTC') -> (1, 'Head office', 'UTC')")
assert lines.contains('[INFO] Proved the repair on a throwaway copy of the live schema')
assert it.log().contains('on project db-drift-found: Drift found: 3 differences from revision 3 (listed above and in '
        + 'target/bemserver/drift-report.txt): return the database to revision 3 with psql -1 -f '
        + 'target/bemserver/drift-repair.sql, or record the change as a new revision -> [Help 1]')
// JUnit XML: the differences in one failing case (one repair returns them all), the history passing
def junit = it.junitReport('target/bemserver/drift-report.xml')
assert junit.outcomes() == [
        'revision 3 against the live database': 'failed: 3 differences from revision 3: psql -1 -f '
                + 'target/bemserver/drift-repair.sql returns the database to it',
        'history of the live database': 'passed']
assert junit.details()['revision 3 against the live database'].readLines().contains('+ index public.ix_sites_name')
// the live database was only read
assert it.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_sites_name'") == '1'
assert it.column('SELECT name FROM sites') == ['Head office']
// the repair returns it to revision 3
def repair = new File(basedir, 'target/bemserver/drift-repair.sql').text
assert repair.contains('DROP INDEX public.ix_sites_name')
it.execute(repair)
assert it.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_sites_name'") == '0'
assert it.column('SELECT name FROM sites') == ['HQ']
assert it.value("SELECT column_default FROM information_schema.columns WHERE table_name = 'sites' "
        + "AND column_name = 'timezone'") == "'UTC'::character varying"
assert it.noThrowawayLeft()
