def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def lines = it.log().readLines()
assert lines.contains('[INFO] Built revision 2 on a throwaway database')
assert lines.contains('[INFO] No drift: the database holds exactly revision 2 (1 revision pending, not drift) '
        + '(report: target/bemserver/drift-report.txt)')
assert new File(basedir, 'target/bemserver/drift-report.txt').readLines()[0] ==
        'Live database against revision 2 built by the migrations (pending, not drift: 3)'
assert it.junitReport('target/bemserver/drift-report.xml').outcomes() == [
        'revision 2 against the live database': 'passed', 'history of the live database': 'passed']
assert it.appliedRevisions() == ['1', '2']
assert it.noThrowawayLeft()
