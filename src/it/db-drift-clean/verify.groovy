def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def lines = it.log().readLines()
assert lines.contains('[INFO] Built revision 3 on a throwaway database')
assert lines.contains('[INFO] No drift: the database holds exactly revision 3 (report: target/bemserver/drift-report.txt)')
// with -q the JSON document is all that is printed
assert lines.findAll { it.startsWith('{') } == ['{"revision":"3","pending":[],"drift":false,"differences":[],"problems":[],'
        + '"report":"target/bemserver/drift-report.txt","repair":null}']
assert new File(basedir, 'target/bemserver/drift-report.txt').readLines() == [
        'Live database against revision 3 built by the migrations', '  same schema and reference rows']
assert !new File(basedir, 'target/bemserver/drift-repair.sql').exists()
assert it.junitReport('target/bemserver/drift-report.xml').outcomes() == [
        'revision 3 against the live database': 'passed', 'history of the live database': 'passed']
assert it.appliedRevisions() == ['1', '2', '3']
assert it.column('SELECT name FROM sites') == ['HQ']
assert it.noThrowawayLeft()
