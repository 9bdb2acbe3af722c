def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
def failure = 'on project db-upgrade-failure-kinds: '
def help = '[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/'
// each failed run: its error line, then the link Maven chose for the exception it got
def runs = log.split(/BUILD FAILURE/).drop(1)
assert runs.size() == 3
def expected = [
    ['BEMSERVER_IT_UNSET is not set: set it to the database URI', 'MojoFailureException'],
    ["Cannot connect to postgresql+psycopg://${itPgUser}:***@localhost:1/db_upgrade_failure_kinds: connection refused by localhost:1", 'MojoExecutionException'],
    ['Migration src/main/resources/db/migration/V2__create_sites.sql failed at line 4', 'MojoFailureException'],
]
[runs, expected].transpose().each { run, pair ->
    def (line, exception) = pair
    assert run.contains(failure + line), "missing: ${line}"
    assert run.contains(help + exception + '\n') || run.contains(help + exception + '\r\n'), "${line}: not a ${exception}"
}
// the failing migration left revision 1 only
assert it.appliedRevisions() == ['1']
