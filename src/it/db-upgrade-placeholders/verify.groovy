def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
it.log()
// from <placeholders>, and -Dbemserver.placeholders.zone wins over the configured UTC
assert it.value('SELECT name || \' \' || timezone FROM sites') == 'Headquarters Europe/Paris'
