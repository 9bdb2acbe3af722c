package org.bemserver.schema.migrate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.bemserver.schema.Identifiers;

/**
 * The history rows that say a database holds every script of the project, for a database built
 * from the model ({@code db-setup}): one row per {@code V} and {@code R} script, as Flyway writes
 * them, so that Flyway, {@code db-current} and {@code db-upgrade} see the database at head and a
 * later revision applies on top normally.
 */
public final class Stamp {

    /** One script to record. */
    record Entry(String version, String description, String script, Integer checksum) {}

    private final HistoryTable history;
    private final List<Entry> entries;
    private final String head;

    Stamp(HistoryTable history, List<Entry> entries, String head) {
        this.history = history;
        this.entries = List.copyOf(entries);
        this.head = head;
    }

    /** The newest revision recorded, or {@code null} when the project has none. */
    public String head() {
        return head;
    }

    /** How many scripts are recorded. */
    public int size() {
        return entries.size();
    }

    /** The history table, for messages ({@code public.flyway_schema_history}). */
    public String table() {
        return history.displayName();
    }

    /** Writes the rows in the caller's transaction, creating the history table as Flyway would. */
    public void record(Connection connection) throws SQLException {
        record(connection, null);
    }

    /**
     * The same, and with a {@code note}, sets it as the history table's comment: where a DBA reads why
     * the history says what it says ({@code \dt+}), and Flyway, which validates every column of its
     * rows, does not look.
     */
    public void record(Connection connection, String note) throws SQLException {
        history.createIfMissing(connection);
        try (HistoryTable.Writer writer = history.writer(connection)) {
            writer.allApplied(entries);
        }
        if (note != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("COMMENT ON TABLE " + history.qualifiedName() + " IS " + Identifiers.literal(note));
            }
        }
    }

    /** How many rows the history table holds, or 0 when it does not exist. */
    public int existingRows(Connection connection) throws SQLException {
        return history.read(connection).size();
    }

    /** Whether {@code schema}.{@code name} is this history table. */
    public boolean isHistoryTable(String schema, String name) {
        return history.displayName().equals(schema + "." + name);
    }
}
