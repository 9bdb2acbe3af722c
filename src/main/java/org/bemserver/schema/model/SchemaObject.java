package org.bemserver.schema.model;

/**
 * An object of a managed schema, as a reset sees it.
 *
 * @param schema its schema
 * @param name its name
 * @param kind {@code table}, {@code view}, {@code materialized view}, {@code sequence},
 *     {@code foreign table}, {@code function}, {@code procedure}, {@code aggregate}, {@code type},
 *     {@code domain} or {@code collation}
 * @param dropStatement the statement that drops it (and what depends on it)
 */
record SchemaObject(String schema, String name, String kind, String dropStatement) {}
