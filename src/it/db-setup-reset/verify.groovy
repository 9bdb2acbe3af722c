def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('[INFO] Dropping 3 tables, 2 sequences in schema public (reset)')
assert log.contains('[INFO] Recorded 3 scripts as applied in public.flyway_schema_history (head: revision 3)')
assert log.contains('[INFO] Current revision: 3 (head)')
assert it.appliedRevisions() == ['1', '2', '3']
assert it.value('SELECT count(*) FROM sites') == '1'
