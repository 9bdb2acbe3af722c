def log = new File(basedir, 'build.log').text
def pgdata = new File(basedir, 'target/bemserver/pgdata')
assert log.contains('[INFO] Database: embedded PostgreSQL in ' + pgdata.canonicalPath + ' (PostgreSQL 17.')
assert log.contains('[INFO] Database at revision 2')
// the second Maven run sees what the first one applied
assert log.contains('[INFO] Current revision: 2 (1 pending: 3)')
assert log.contains('[INFO] Applying 3 - add site timezone (1/1)')
assert log.contains('[INFO] Current revision: 3 (head)')
assert new File(pgdata, 'PG_VERSION').text.trim() == '17'
// the server is stopped after each goal
assert !new File(pgdata, 'postmaster.pid').exists()
// zonky's own INFO lines are not printed
assert !log.contains('postmaster startup finished')
// a run asking for another major is refused in one line, before any start, and the cluster is kept
assert log.contains('[ERROR] Failed to execute goal') && log.contains('The embedded database in ' + pgdata.canonicalPath
        + ' was made by PostgreSQL 17, but bemserver.embeddedVersion asks for 15: set bemserver.embeddedVersion=17, '
        + 'or dump it with PostgreSQL 17 and restore it into a new cluster')
assert !log.contains('Gave up waiting for server to start')
assert new File(pgdata, 'PG_VERSION').text.trim() == '17'
