def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
it.prepare(new File(itFixtures), 'three-revisions')
// the role is the cluster's (made by the superuser); its grants are a revision of the project, so
// the revision built on the throwaway database (same server) holds them too
it.execute("DO \$\$ BEGIN CREATE ROLE drift_reader LOGIN PASSWORD 'r3ader-Pw'; "
        + "EXCEPTION WHEN duplicate_object THEN NULL; END \$\$")
new File(it.migrations().toFile(), 'V4__grant_drift_reader.sql').text =
        'GRANT USAGE ON SCHEMA public TO drift_reader;\nGRANT SELECT ON sites TO drift_reader;\n'
it.upgrade(null)
it.execute('GRANT SELECT ON flyway_schema_history TO drift_reader')
