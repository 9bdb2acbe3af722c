def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('''[INFO] Applying 1 - create users (1/2)
[INFO] Applying 2 - create sites (2/2)
[INFO] Database at revision 2''')
assert !log.contains('Applying 3')
assert it.appliedRevisions() == ['1', '2']
assert it.column("SELECT column_name FROM information_schema.columns WHERE table_name = 'sites' ORDER BY ordinal_position") == ['id', 'name']
