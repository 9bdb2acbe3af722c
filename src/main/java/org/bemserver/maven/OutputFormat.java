package org.bemserver.maven;

import java.util.Locale;
import org.bemserver.schema.ConfigurationException;

/** The values of {@code bemserver.format}. */
enum OutputFormat {
    TEXT,
    JSON;

    static OutputFormat parse(String value) {
        String name = value == null ? "text" : value.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "text", "" -> TEXT;
            case "json" -> JSON;
            default -> throw new ConfigurationException("bemserver.format must be text or json, not '" + value + "'");
        };
    }
}
