def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('[INFO] Applying model 900-default-rows.sql (4/4)')
assert log.contains('[INFO] Current revision: 7 (head)')
assert log.contains('[INFO] Applying 7 - create events (7/7)')
// set up from the model or upgraded from empty: the same schema (the history table aside) and default rows
def fromModel = it.schema()
assert fromModel.size() > 100
assert fromModel == it.schemaOf('upgraded')
assert it.column('SELECT t::text FROM ts_props t ORDER BY 1') == ['(1,Min,"Minimum expected value",float,)', '(2,Max,"Maximum expected value",float,)', '(3,Interval,"Expected interval",float,s)']
