package org.bemserver.schema.catalog;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.SqlResource;
import org.postgresql.PGStatement;

/**
 * The catalog queries, one {@code .sql} resource per object kind, run on one connection over the
 * managed schemas (their only parameter); each row carries the OID of its owner, column
 * {@code owner}.
 */
final class CatalogQueries implements RowSource {

    /**
     * The queries that read objects, in reading order: the constraints last, as a second
     * connection may read them meanwhile ({@link SecondConnection}).
     */
    static final List<String> OBJECTS = List.of(
            "schemas",
            "extensions",
            "collations",
            "types",
            "sequences",
            "tables",
            "columns",
            "indexes",
            "views",
            "functions",
            "triggers",
            "policies",
            "privileges",
            "constraints");

    /** The query that reads what depends on what, which only script generation needs. */
    static final String DEPENDENCIES = "dependencies";

    private static final Map<String, String> SQL = new HashMap<>();

    static {
        for (String name : OBJECTS) {
            SQL.put(name, SqlResource.read(CatalogQueries.class, name + ".sql"));
        }
        SQL.put(DEPENDENCIES, SqlResource.read(CatalogQueries.class, DEPENDENCIES + ".sql"));
    }

    private final Connection connection;
    private final List<String> schemas;

    CatalogQueries(Connection connection, List<String> schemas) {
        this.connection = connection;
        this.schemas = schemas;
    }

    @Override
    public void forEach(String query, RowHandler handler) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SQL.get(query))) {
            statement.setArray(1, schemaArray());
            try (ResultSet result = statement.executeQuery()) {
                Map<String, Integer> columns = CatalogRow.columnsOf(result);
                while (result.next()) {
                    handler.handle(CatalogRow.read(result, columns));
                }
            }
        }
    }

    /** The rows of each of {@code queries}, read one query after the other. */
    Map<String, List<CatalogRow>> readAll(Collection<String> queries) throws SQLException {
        Map<String, List<CatalogRow>> rows = new HashMap<>();
        for (String query : queries) {
            List<CatalogRow> list = new ArrayList<>();
            forEach(query, list::add);
            rows.put(query, list);
        }
        return rows;
    }

    /**
     * The rows of {@code queries} (object queries) that belong to {@code owners}, read at once in
     * one round trip: such readings are small and many, and the round trips would cost more than
     * the queries.
     */
    RowSource restrictedTo(Long[] owners, Collection<String> queries) throws SQLException {
        List<String> names = OBJECTS.stream().filter(queries::contains).toList();
        StringBuilder sql = new StringBuilder();
        for (String name : names) {
            // its schemas, then its owners
            sql.append("SELECT * FROM (\n")
                    .append(SQL.get(name))
                    .append("\n) q WHERE q.owner = ANY (CAST(? AS pg_catalog.oid[]));\n");
        }
        Map<String, List<CatalogRow>> rows = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            Array schemaArray = schemaArray();
            Array ownerArray = connection.createArrayOf("int8", owners);
            for (int i = 0; i < names.size(); i++) {
                statement.setArray(2 * i + 1, schemaArray);
                statement.setArray(2 * i + 2, ownerArray);
            }
            // run many times: prepared on the server at once, planned once (plan_cache_mode)
            statement.unwrap(PGStatement.class).setPrepareThreshold(1);
            statement.execute();
            for (String name : names) {
                List<CatalogRow> list = new ArrayList<>();
                try (ResultSet result = statement.getResultSet()) {
                    Map<String, Integer> columns = CatalogRow.columnsOf(result);
                    while (result.next()) {
                        list.add(CatalogRow.read(result, columns));
                    }
                }
                rows.put(name, list);
                statement.getMoreResults();
            }
        }
        return RowSource.of(rows);
    }

    private Array schemaArray() throws SQLException {
        return connection.createArrayOf("text", schemas.toArray());
    }
}
