def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def lines = it.log().readLines()
assert lines.contains('[INFO] No drift: the database holds exactly revision 4 (report: target/bemserver/drift-report.txt)')
def junit = it.junitReport('target/bemserver/drift-report.xml')
assert junit.outcomes().size() == 2
assert junit.failures() == 0
assert it.appliedRevisions() == ['1', '2', '3', '4']
assert it.value("SELECT has_table_privilege('drift_reader', 'sites', 'INSERT')") == 'f'
assert it.noThrowawayLeft()
