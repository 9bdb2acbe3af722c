def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
def migrations = it.migrations().toFile()
assert log.contains('[INFO] Wrote src/main/resources/db/migration/V4__add_building_area_m2.sql and '
        + 'U4__add_building_area_m2.sql (revision 4): write the migration and its undo, then try them with db-upgrade '
        + 'and db-downgrade -Dbemserver.revision=-1 (db-check proves the undo reverts it)')
assert new File(migrations, 'V4__add_building_area_m2.sql').text.startsWith('-- Revision 4: Add building area (m²)\n')
assert new File(migrations, 'U4__add_building_area_m2.sql').text.startsWith('-- Undo of revision 4: Add building area (m²)\n')
assert new File(migrations, 'V4.1__again.sql').exists()
assert log.contains('on project db-revision-new: bemserver.message is required: say what the revision does, e.g. '
        + '-Dbemserver.message="Add site timezone" -> [Help 1]')
assert log.contains('on project db-revision-new: Revision 3 already exists (src/main/resources/db/migration/'
        + 'V3__add_site_timezone.sql): choose another bemserver.revId, or leave it out for the next integer -> [Help 1]')
assert log.contains('V4__add_building_area_m2.sql holds no statement: write the migration or delete the file')
// nothing else was written, nothing outside the location
assert migrations.list().sort() == ['U1__create_users.sql', 'U2__create_sites.sql', 'U3__add_site_timezone.sql',
        'U4.1__again.sql', 'U4__add_building_area_m2.sql', 'V1__create_users.sql', 'V2__create_sites.sql',
        'V3__add_site_timezone.sql', 'V4.1__again.sql', 'V4__add_building_area_m2.sql']
assert !new File(basedir, 'etc').exists()
assert it.tables() == []
