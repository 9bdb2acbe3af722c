def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
def lines = log.readLines()
// build 1: revision 4 only, on revision 3 built on a throwaway database
assert lines.contains('[INFO] Built revision 3 on a throwaway database')
assert lines.contains('[INFO] Revision 4 - index site names (V4__index_site_names.sql)')
assert lines.contains('[INFO]   line 2: CREATE INDEX ix_sites_name ON sites (name)')
assert lines.contains('[INFO]     measured: SHARE on public.sites; full scan of public.sites')
assert lines.contains('[WARNING]     error [index-without-concurrently] builds an index on public.sites under SHARE: '
        + 'writes wait for the whole build')
assert lines.contains('[INFO]       fix: CREATE INDEX CONCURRENTLY, in a revision of its own (it cannot run in a transaction)')
assert lines.contains('[INFO]     ignored (lint:ignore users holds a handful of rows): error [index-without-concurrently] '
        + 'builds an index on public.users under SHARE: writes wait for the whole build')
assert lines.contains('[INFO]     cleared by measurement: ADD COLUMN ... DEFAULT (static linters assume a rewrite)')
assert lines.contains('[INFO] Lint: 1 error, 0 warnings in 1 revision (4 statements)')
assert log.contains('on project db-lint-newest: db-lint found 1 error and 0 warnings (listed above and in '
        + 'target/bemserver/lint-report.txt): apply the fixes, or mark a statement that is safe with -- lint:ignore '
        + '<reason> on the line above it -> [Help 1]')
// build 2: the database named cannot be reached, its password not shown; revision 4 linted all the same
assert lines.contains('[WARNING] Cannot read the database SQLALCHEMY_DATABASE_URI names (Cannot connect to '
        + 'postgresql://someone:***@127.0.0.1:1/nowhere?options=-c default_transaction_read_only=on: connection refused '
        + 'by 127.0.0.1:1: is PostgreSQL running and listening on port 1?): the revisions above bemserver.since are '
        + 'linted without its tables\' sizes, on bemserver.embeddedVersion or PostgreSQL 17')
assert !log.contains('n0t-Sh0wn')
assert lines.count('[INFO] Lint: 1 error, 0 warnings in 1 revision (4 statements)') == 2
// build 3: revisions 3 and 4, reported, the build passes
assert lines.contains('[INFO] Revision 3 - add site timezone (V3__add_site_timezone.sql)')
assert lines.contains('[INFO] Lint: 1 error, 1 warning in 2 revisions (5 statements)')
def report = new File(basedir, 'target/bemserver/lint-report.txt').readLines()
assert report[0] == 'Revision 3 - add site timezone (V3__add_site_timezone.sql)'
assert report.last() == 'Lint: 1 error, 1 warning in 2 revisions (5 statements)'
assert it.noThrowawayLeft()
// the JUnit XML report of build 2 (failOn=never): every statement a passing case
def junit = it.junitReport('target/bemserver/lint-report.xml')
assert junit.outcomes().size() == 5
assert junit.failures() == 0
