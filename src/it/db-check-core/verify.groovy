def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('[INFO] Upgraded a throwaway database from empty to head (13 revisions)')
assert log.contains('[INFO] Stairway 0.1 - v0 1 (1/13): the undo does NOT revert it')
assert log.contains('[INFO] Stairway 0.4 - v0 4 (4/13): the undo reverts it, but for the column order')
assert log.contains('[INFO] Stairway 0.21 - v0 21 (13/13): the undo reverts it')
assert log.contains('[WARNING] Stairway (each revision upgraded, undone, upgraded again): 1 undo script does not revert their revision')
assert log.contains('[WARNING]     + enum public.propertytype')
assert log.contains('on project db-check-core: Check failed: 1 difference (listed above and in '
        + 'target/bemserver/check-report.txt): change the model or the migrations until they agree, or generate the '
        + 'missing revision with db-revision -Dbemserver.autogenerate=true -> [Help 1]')
// the first run, without the stairway, passes; the second rewrites its reports
assert log.contains('[INFO] Check passed: the migrations and the model build the same schema and reference rows '
        + '(report: target/bemserver/check-report.txt)')
assert new File(basedir, 'target/bemserver/check-report.txt').readLines().take(3) == [
        'Migrations (13 revisions) against the model', '  same schema and reference rows',
        'Stairway (each revision upgraded, undone, upgraded again): 1 undo script does not revert their revision']
// JUnit XML: the model and each of the 13 revisions, 0.1 failing with what its undo left
def junit = it.junitReport('target/bemserver/check-report.xml')
assert junit.suite() == 'db-check'
assert junit.outcomes().size() == 14
assert junit.failures() == 1
assert junit.outcomes()['migrations against the model'] == 'passed'
assert junit.outcomes()['revision 0.1 - v0 1: upgrade, undo, upgrade again'] == ('failed: the undo leaves 1 difference, '
        + 'and upgrading again after the undo (V0.1__v0_1.sql) failed at line 29 (SQL state 42710: type "propertytype" '
        + 'already exists)')
assert junit.details()['revision 0.1 - v0 1: upgrade, undo, upgrade again'].readLines()[1] == '+ enum public.propertytype'
assert junit.outcomes()['revision 0.21 - v0 21: upgrade, undo, upgrade again'] == 'passed'
