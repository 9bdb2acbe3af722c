def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def lines = it.log().readLines()
assert lines.contains('[INFO] Built revision 2 on a throwaway database')
assert lines.contains('[INFO] Revision 3 - add site timezone (V3__add_site_timezone.sql)')
assert lines.contains('[INFO] Revision 4 - site code (V4__site_code.sql)')
// the live size as pg_total_relation_size gives it (autovacuum may add a page between two builds)
assert lines.any { it ==~ /\[WARNING\]     error \[check-validation\] scans public\.sites \(\d+ kB, 20 k rows\) in full under ACCESS EXCLUSIVE: reads and writes wait for the whole scan/ }
assert lines.contains('[INFO] Lint: 1 error, 2 warnings in 2 revisions (3 statements)')
// build 2: revision 4 alone, on revision 3 built, the live sizes read all the same
assert lines.contains('[INFO] Built revision 3 on a throwaway database')
assert lines.findAll { it ==~ /\[WARNING\]     error \[check-validation\] scans public\.sites \(\d+ kB, 20 k rows\) in full .*/ }.size() == 2
assert lines.any { it ==~ /\[INFO\] Lint: 1 error, \d+ warnings? in 1 revision \(2 statements\)/ }
// the live database was only read: nothing applied, nothing changed
assert it.appliedRevisions() == ['1', '2']
assert it.schema() == context.get('schemaBefore')
// build 3: the JSON document alone on its line, then the failure
def json = lines.findAll { it.startsWith('{"revisions":') }
assert json.size() == 1
assert json[0].contains('{"rule":"check-validation","level":"error","message":"scans public.sites (')
assert json[0].endsWith('"errors":1,"warnings":2,"report":"target/bemserver/lint-report.txt"}')
def junit = it.junitReport('target/bemserver/lint-report.xml')
assert junit.outcomes().size() == 3
assert junit.outcomes()['V4__site_code.sql:2 ALTER TABLE sites ADD CONSTRAINT code_set CHECK (code IS ...'].startsWith(
        'failed: error [check-validation] scans public.sites (')
assert junit.failures() == 1
