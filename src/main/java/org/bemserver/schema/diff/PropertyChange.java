package org.bemserver.schema.diff;

/**
 * A property of an object that differs between two snapshots.
 *
 * @param name the property ({@code default}, {@code definition}, ...)
 * @param before its value in the first snapshot, or {@code null}
 * @param after its value in the second snapshot, or {@code null}
 */
public record PropertyChange(String name, String before, String after) {}
