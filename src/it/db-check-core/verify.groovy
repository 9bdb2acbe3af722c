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
// the second run, without the stairway, passes and rewrites the report
assert log.contains('[INFO] Check passed: the migrations and the model build the same schema and reference rows '
        + '(report: target/bemserver/check-report.txt)')
assert new File(basedir, 'target/bemserver/check-report.txt').readLines() == [
        'Migrations (13 revisions) against the model', '  same schema and reference rows']
