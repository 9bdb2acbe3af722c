def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
context.put('schemaAtHead', it.schema())
true
