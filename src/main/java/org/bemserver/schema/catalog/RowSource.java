package org.bemserver.schema.catalog;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Where the rows of the catalog queries come from: a connection, or rows read before. */
@FunctionalInterface
interface RowSource {

    /** Hands each row of the catalog query {@code query} to {@code handler}, in the query's order. */
    void forEach(String query, RowHandler handler) throws SQLException;

    /** What to do with a row. */
    @FunctionalInterface
    interface RowHandler {
        void handle(CatalogRow row) throws SQLException;
    }

    /** The rows read before, by query; a query not read has no rows. */
    static RowSource of(Map<String, List<CatalogRow>> rows) {
        return (query, handler) -> {
            for (CatalogRow row : rows.getOrDefault(query, List.of())) {
                handler.handle(row);
            }
        };
    }
}
