package org.bemserver.schema.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bemserver.schema.catalog.DbObject;

/** Reads the parts of a type's definition, as the snapshot writes it: enum labels, composite attributes, domain checks. */
final class TypeDefinitions {

    private static final Pattern LABEL = Pattern.compile("'((?:[^']|'')*)'");

    private TypeDefinitions() {}

    /** An enum's labels, each as its literal ({@code 'INFO'}), in order. */
    static List<String> labels(DbObject enumType) {
        List<String> labels = new ArrayList<>();
        Matcher literal = LABEL.matcher(enumType.properties().get("definition"));
        while (literal.find()) {
            labels.add("'" + literal.group(1) + "'");
        }
        return labels;
    }

    /**
     * A composite type's attributes, by name (as written, quoted if need be), in order: its
     * definition split at the commas outside quotes and parentheses ({@code numeric(10,2)}).
     */
    static Map<String, String> attributes(DbObject composite) {
        Map<String, String> attributes = new LinkedHashMap<>();
        String definition = composite.properties().get("definition");
        if (definition == null) {
            return attributes;
        }
        List<String> items = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < definition.length(); i++) {
            char c = definition.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && definition.startsWith(", ", i)) {
                items.add(definition.substring(start, i));
                start = i + 2;
            }
        }
        items.add(definition.substring(start));
        for (String item : items) {
            int space = item.indexOf(' ');
            if (item.startsWith("\"")) {
                // a quoted name ends at the quote that is not doubled
                int end = 1;
                while (item.charAt(end) != '"' || item.startsWith("\"\"", end)) {
                    end += item.startsWith("\"\"", end) ? 2 : 1;
                }
                space = end + 1;
            }
            attributes.put(item.substring(0, space), item.substring(space + 1));
        }
        return attributes;
    }

    /** A domain's check constraints, by name. */
    static Map<String, String> domainConstraints(DbObject domain) {
        Map<String, String> constraints = new LinkedHashMap<>();
        domain.properties().forEach((key, value) -> {
            if (key.startsWith("constraint ")) {
                constraints.put(key.substring("constraint ".length()), value);
            }
        });
        return constraints;
    }
}
