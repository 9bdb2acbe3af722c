package org.bemserver.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A catalog query kept as a {@code .sql} resource next to the class that runs it, so it can be
 * read, and run in psql, on its own.
 */
public final class SqlResource {

    private SqlResource() {}

    /** The text of {@code name}, a resource in the package of {@code owner}. */
    public static String read(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " beside " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
