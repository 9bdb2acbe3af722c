// the database at revision 3 (head); the schema it has at revision 1, for verify.groovy
def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
it.prepare(new File(itFixtures), 'three-revisions')
it.upgrade('1')
context.put('schemaAtOne', it.schema())
context.put('historyAtOne', it.column('SELECT installed_rank || \' \' || version || \' \' || checksum FROM flyway_schema_history ORDER BY installed_rank'))
it.upgrade(null)
assert it.appliedRevisions() == ['1', '2', '3']
true
