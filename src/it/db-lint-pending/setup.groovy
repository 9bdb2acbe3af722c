def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
it.prepare(new File(itFixtures), 'three-revisions')
it.upgrade('2')
// production-like figures: rows, and the planner's estimate of them
it.execute("INSERT INTO sites (name) SELECT 'site ' || i FROM generate_series(1, 20000) i; ANALYZE sites")
new File(it.migrations().toFile(), 'V4__site_code.sql').text = '''ALTER TABLE sites ADD COLUMN code text;
ALTER TABLE sites ADD CONSTRAINT code_set CHECK (code IS NOT NULL OR id > 0);
'''
context.put('schemaBefore', it.schema())
