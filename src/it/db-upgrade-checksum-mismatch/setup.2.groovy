new File(basedir, 'src/main/resources/db/migration/V1__create_users.sql') << '-- edited after it was applied\n'
// a pre-build script must not return a value other than true
true
