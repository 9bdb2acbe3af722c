def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.count('Applying 1 - create users (1/3)') == 1
assert log.contains('''[INFO] Nothing to apply: the database is already at revision 3 (head)
[INFO] Database at revision 3''')
assert it.value('SELECT count(*) FROM flyway_schema_history') == '3'
