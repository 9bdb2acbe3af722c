def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def lines = it.log().readLines()
assert lines.contains('[INFO]   + index public.ix_hotfix')
assert lines.contains('[INFO] Wrote src/main/resources/db/migration/V4__keep_hotfix_index.sql and U4__keep_hotfix_index.sql '
        + '(revision 4) (1 statement, undo 1)')
def migration = new File(basedir, 'src/main/resources/db/migration/V4__keep_hotfix_index.sql').text
assert migration.startsWith('-- Revision 4: Keep hotfix index\n')
assert migration.contains('CREATE INDEX ix_hotfix ON public.users USING btree (name);')
assert new File(basedir, 'src/main/resources/db/migration/U4__keep_hotfix_index.sql').text
        .contains('DROP INDEX public.ix_hotfix;')
assert !new File(basedir, 'target/bemserver/drift-repair.sql').exists()
// a capture is no test run: no JUnit XML
assert !new File(basedir, 'target/bemserver/drift-report.xml').exists()
// the live database was only read
assert it.appliedRevisions() == ['1', '2', '3']
assert it.value("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_hotfix'") == '1'
assert it.noThrowawayLeft()
