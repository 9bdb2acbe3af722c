def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('''[INFO] Applying model 010-tables.sql (1/2)
[INFO] Applying model 900-default-rows.sql (2/2)
[INFO] Recorded 3 scripts as applied in public.flyway_schema_history (head: revision 3)
[INFO] Database at revision 3''')
assert log.contains('[INFO] Current revision: 3 (head)')
assert log.contains('[INFO] Nothing to apply: the database is already at revision 3 (head)')
// the revision written afterwards applies on top, alone
assert log.contains('[INFO] Applying 4 - add site area (1/1)')
assert !log.contains('Applying 1 - ')
assert it.appliedRevisions() == ['1', '2', '3', '4']
assert it.value('SELECT name || \' \' || timezone FROM sites') == 'HQ UTC'
