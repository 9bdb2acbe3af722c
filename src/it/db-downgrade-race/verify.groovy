// Races db-upgrade against db-downgrade, each in its own Maven process, on one database: they
// must serialize, so that after every round the history says exactly what the schema holds.
def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
it.log()
def mvn = new File(System.getProperty('maven.home'), 'bin/mvn').path
def uri = "postgresql+psycopg://${itPgUser}:${itPgPasswordUri}@localhost:${itPgPort}/db_downgrade_race".toString()
def start = { String name, List<String> goals ->
    // offline, on the local repository the first build filled; a tracking file name of its own makes
    // Maven trust artifacts that came from the invoker's repository, which these builds do not know
    def command = ([mvn, "-o", "-B", "-Dmaven.repo.local=${localRepositoryPath}",
            "-Daether.enhancedLocalRepository.trackingFilename=race-tracking", "-f", new File(basedir, "pom.xml").path]
            + goals)*.toString()
    def builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(new File(basedir, name + '.log'))
    builder.environment().put('SQLALCHEMY_DATABASE_URI', uri)
    builder.start()
}
def tablesAt = [
    []               : ['flyway_schema_history'],
    ['1']            : ['flyway_schema_history', 'users'],
    ['1', '2']       : ['flyway_schema_history', 'sites', 'users'],
    ['1', '2', '3']  : ['flyway_schema_history', 'sites', 'users'],
]
def targets = ['base', '-1', '-2', 'base', '1']
targets.eachWithIndex { target, round ->
    def up = start("race-${round}-up", ["${itPlugin}:db-upgrade"])
    def down = start("race-${round}-down", ["${itPlugin}:db-downgrade", "-Dbemserver.revision=${target}"])
    assert up.waitFor() == 0 : new File(basedir, "race-${round}-up.log").text
    // a relative target (-1, -2) is refused, changing nothing, when the downgrade gets the lock first
    // and finds fewer revisions applied: a correct outcome of the race, not a failure
    def downLog = { new File(basedir, "race-${round}-down.log").text }
    assert down.waitFor() == 0 || (target.startsWith('-') && downLog().contains('Cannot undo ')) : downLog()
    def applied = it.appliedRevisions()
    assert tablesAt.containsKey(applied) : "round ${round}: history ${applied}"
    assert it.tables() == tablesAt[applied] : "round ${round}: history ${applied}, tables ${it.tables()}"
    def timezone = it.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'sites' AND column_name = 'timezone'")
    assert timezone == (applied == ['1', '2', '3'] ? '1' : '0') : "round ${round}: history ${applied}"
    [up, down].each { assert !new File(basedir, "race-${round}-${it == up ? 'up' : 'down'}.log").text.contains(itPgPassword) }
}
true
