package org.bemserver.schema.catalog;

/**
 * The kinds of objects a snapshot holds, in the order a report lists them (and, roughly, the
 * order they are created in).
 */
public enum Kind {
    SCHEMA,
    EXTENSION,
    COLLATION,
    TYPE,
    SEQUENCE,
    TABLE,
    COLUMN,
    CONSTRAINT,
    INDEX,
    VIEW,
    FUNCTION,
    TRIGGER,
    POLICY,
    PRIVILEGE
}
