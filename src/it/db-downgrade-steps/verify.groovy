def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('''[INFO] Reverting 3 - add site timezone (1/1)
[INFO] Database at revision 2''')
assert log.contains('[INFO] Current revision: 2 (1 pending: 3)')
assert log.contains('''[INFO] Reverting 2 - create sites (1/1)
[INFO] Database at revision 1''')
assert log.contains('''[INFO] Reverting 1 - create users (1/1)
[INFO] Database at revision <base>''')
assert log.contains('[INFO] Current revision: <base> (3 pending: 1, 2, 3)')
assert log.count('[INFO] Applying 3 - add site timezone (3/3)') == 2
// up, all the way down, and up again: the same schema
assert it.appliedRevisions() == ['1', '2', '3']
assert it.schema() == context.get('schemaAtHead')
