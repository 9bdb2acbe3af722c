def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('on project db-script-unknown-revision: Unknown revision 9 (bemserver.revision): this project\'s revisions '
        + 'are 1, 2, 3, or base -> [Help 1]')
assert !log.contains('Wrote ')
assert !new File(basedir, 'target/bemserver').exists()
