def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
it.prepare(new File(itFixtures), 'three-revisions')
// the new revision: an index built under SHARE on an existing table, and one statement marked safe
new File(it.migrations().toFile(), 'V4__index_site_names.sql').text = '''SET lock_timeout = '5s';
CREATE INDEX ix_sites_name ON sites (name);
-- lint:ignore users holds a handful of rows
CREATE INDEX ix_users_name ON users (name);
ALTER TABLE sites ADD COLUMN archived boolean NOT NULL DEFAULT false;
'''
context.put('revision', 'V4__index_site_names.sql') // a pre-build script must return nothing
