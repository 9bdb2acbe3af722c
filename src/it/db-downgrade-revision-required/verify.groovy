def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('on project db-downgrade-revision-required: db-downgrade needs -Dbemserver.revision: give a revision '
        + '(e.g. 3 or 2026.11.25.1), a number of revisions to undo (-1, -2, ...) or base (undo everything) -> [Help 1]')
assert log.contains("on project db-downgrade-revision-required: bemserver.revision '--1' is not a revision, a number of steps or base")
assert it.appliedRevisions() == ['1', '2', '3']
