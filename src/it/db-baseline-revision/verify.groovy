def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
// build 1: no alembic_version and no bemserver.revision: refused before any throwaway database
assert log.contains('on project db-baseline-revision: bemserver.revision is required: the database has no '
        + 'alembic_version revision to read; pass -Dbemserver.revision=<the revision it holds> (this project\'s: '
        + '1, 2, 3) -> [Help 1]')
// build 2: adopted at revision 3, nothing to upgrade, and a second baseline has nothing to do
def lines = log.readLines()
assert lines.contains('[INFO] Baselined the database at revision 3: 3 scripts recorded as applied in '
        + 'public.flyway_schema_history (proven: the database holds exactly that revision); alembic_version absent '
        + '(report: target/bemserver/baseline-report.txt)')
assert lines.contains('[INFO] Nothing to apply: the database is already at revision 3 (head)')
assert lines.contains('[INFO] Nothing to baseline: the database already has its history table '
        + 'public.flyway_schema_history, at revision 3 (db-current tells where it stands, db-upgrade applies what is '
        + 'pending)')
assert lines.count { it.startsWith('[INFO] Throwaway databases:') } == 1
assert it.appliedRevisions() == ['1', '2', '3']
assert it.noThrowawayLeft()
