def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
assert it.log().contains('on project db-drift-no-history: The database has no history table public.flyway_schema_history '
        + 'but schema public holds 1 table: adopt it with db-baseline first, which proves the revision it holds and '
        + 'records it; nothing was changed -> [Help 1]')
// nothing written, nothing created: the history is read before any throwaway database exists
assert !it.log().contains('Throwaway databases:')
assert !new File(basedir, 'target/bemserver/drift-report.txt').exists()
assert !new File(basedir, 'target/bemserver/drift-report.xml').exists()
assert it.tables() == ['users']
assert it.noThrowawayLeft()
