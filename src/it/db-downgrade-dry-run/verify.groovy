def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('''[INFO] Would revert 3 - add site timezone (1/2) with src/main/resources/db/migration/U3__add_site_timezone.sql
[INFO] Would revert 2 - create sites (2/2) with src/main/resources/db/migration/U2__create_sites.sql''')
assert log.contains('''-- Reverting 3 - add site timezone (1/2): U3__add_site_timezone.sql
ALTER TABLE sites DROP COLUMN timezone;''')
assert log.contains('DELETE FROM "public"."flyway_schema_history" WHERE installed_rank IN (3, 2);')
assert log.contains('[INFO] Dry run: nothing was changed; the database would be at revision 1')
// with -q only the SQL is printed
assert log.contains('DELETE FROM "public"."flyway_schema_history" WHERE installed_rank IN (3, 2, 1);\nCOMMIT;')
assert !log.contains('Reverting 1 - create users (1/1)')
assert it.appliedRevisions() == ['1', '2', '3']
assert it.tables() == ['flyway_schema_history', 'sites', 'users']
