def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def lines = it.log().readLines()
assert lines.contains('[INFO] Current revision: <base> (3 pending: 1, 2, 3)')
assert lines.contains('{"current":null,"head":"3","pending":["1","2","3"],"state":"behind"}')
assert lines.contains('[INFO] Current revision: 1 (2 pending: 2, 3)')
assert lines.contains('{"current":"1","head":"3","pending":["2","3"],"state":"behind"}')
assert lines.contains('[INFO] Current revision: 3 (head)')
assert lines.contains('{"current":"3","head":"3","pending":[],"state":"head"}')
// with -q the JSON document is all that is printed
def json = lines.findAll { it.startsWith('{') }
assert json.size() == 3
assert !lines.any { it.startsWith('[INFO]') && it.contains('{"current"') }
