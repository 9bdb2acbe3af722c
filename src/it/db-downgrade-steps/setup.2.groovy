// the schema at head, before any downgrade, for verify.groovy
def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
context.put('schemaAtHead', it.schema())
true
