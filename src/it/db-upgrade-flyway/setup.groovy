org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword).prepare(new File(itFixtures), null)
