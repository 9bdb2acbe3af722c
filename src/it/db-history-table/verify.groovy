def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def lines = it.log().readLines()
def header = lines.findIndexOf { it ==~ /\[INFO\] Revision +Description +State +Applied at \(UTC\) +By +ms/ }
assert header >= 0
assert lines[header + 1] ==~ /\[INFO\] 1 +create users +applied +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +${itPgUser} +\d+/
assert lines[header + 2] ==~ /\[INFO\] 2 +create sites +applied +.*/
assert lines[header + 3] ==~ /\[INFO\] 3 +add site timezone +pending/
def json = new groovy.json.JsonSlurper().parseText(lines.find { it.startsWith('{"revisions"') })
assert json.revisions*.revision == ['1', '2', '3']
assert json.revisions*.state == ['applied', 'applied', 'pending']
assert json.revisions[0].script == 'V1__create_users.sql'
assert json.revisions[0].appliedBy == itPgUser
assert json.revisions[2].appliedAt == null
