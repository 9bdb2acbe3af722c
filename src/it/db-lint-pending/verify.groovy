def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def lines = it.log().readLines()
assert lines.contains('[INFO] Built revision 2 on a throwaway database')
assert lines.contains('[INFO] Revision 3 - add site timezone (V3__add_site_timezone.sql)')
assert lines.contains('[INFO] Revision 4 - site code (V4__site_code.sql)')
def size = it.value("SELECT pg_size_pretty(pg_total_relation_size('sites'))")
assert lines.contains(("[WARNING]     error [check-validation] scans public.sites (${size}, 20 k rows) in full under "
        + 'ACCESS EXCLUSIVE: reads and writes wait for the whole scan').toString())
assert lines.contains('[INFO] Lint: 1 error, 2 warnings in 2 revisions (3 statements)')
// the live database was only read: nothing applied, nothing changed
assert it.appliedRevisions() == ['1', '2']
assert it.schema() == context.get('schemaBefore')
