def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
def migration = new File(it.migrations().toFile(), 'V4__add_buildings_and_site_altitude.sql').text
def undo = new File(it.migrations().toFile(), 'U4__add_buildings_and_site_altitude.sql').text
assert log.contains('[INFO]   + table public.buildings')
assert log.contains('[INFO]   + column public.sites.altitude')
assert log.contains('[INFO] Wrote src/main/resources/db/migration/V4__add_buildings_and_site_altitude.sql and '
        + 'U4__add_buildings_and_site_altitude.sql (revision 4')
assert log.contains('[INFO] Proven on throwaway databases: the migration turns head into the model, and its undo turns it back')
assert migration.startsWith('-- Revision 4: Add buildings and site altitude\n')
assert migration.contains('CREATE TABLE public.buildings')
assert migration.contains("'Lab'")
assert undo.contains('DROP TABLE public.buildings')
// applied for real, the new revision makes the migrations agree with the model
assert log.contains('[INFO] Applying 4 - add buildings and site altitude (4/4)')
assert log.contains('[INFO] Check passed: the migrations and the model build the same schema and reference rows, and every '
        + 'undo script reverts its revision')
// and its undo took it back
assert log.contains('[INFO] Reverting 4 - add buildings and site altitude (1/1)')
assert it.appliedRevisions() == ['1', '2', '3']
assert !it.tables().contains('buildings')
assert it.column('SELECT name FROM sites ORDER BY id') == ['HQ']
assert log.contains('[INFO] No difference between the migrations at head and the model: no revision written')
assert !new File(it.migrations().toFile(), 'V5__nothing.sql').exists()
assert it.noThrowawayLeft()
