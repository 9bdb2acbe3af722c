package org.bemserver.bench;

import org.flywaydb.core.Flyway;

/**
 * The Flyway API anchor of the benchmark: {@code Flyway.configure()...migrate()} with Flyway's
 * defaults, as an application embedding Flyway runs it.
 *
 * <pre>java org.bemserver.bench.FlywayMigrate jdbc-url user password migration-directory</pre>
 */
public final class FlywayMigrate {

    private FlywayMigrate() {}

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: FlywayMigrate <jdbc-url> <user> <password> <migration-directory>");
            System.exit(2);
        }
        int applied = Flyway.configure()
                .dataSource(args[0], args[1], args[2])
                .locations("filesystem:" + args[3])
                .load()
                .migrate()
                .migrationsExecuted;
        System.out.println(applied + " migrations applied");
    }
}
