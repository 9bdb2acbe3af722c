// a new revision written after the database was set up
new File(basedir, 'src/main/resources/db/migration/V4__add_site_area.sql').text = 'ALTER TABLE sites ADD COLUMN area double precision;\n'
true
