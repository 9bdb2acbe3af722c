def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
// from <placeholders>, and -Dbemserver.placeholders.zone wins over the configured UTC
assert it.value('SELECT name || \' \' || timezone FROM sites') == 'Headquarters Europe/Paris'
// V2's ${ that no } closes is refused while placeholders are replaced, with nothing changed...
assert log.contains('V2__welcome_template.sql holds a ${ that no } closes')
// ...and applied as written with bemserver.placeholderReplacement=false, as Flyway applies it
assert it.value('SELECT body FROM templates') == 'Welcome to ${site_name}, ${user'
assert it.value('SELECT string_agg(version, \',\' ORDER BY installed_rank) FROM flyway_schema_history') == '1,2'
