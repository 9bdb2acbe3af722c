package org.bemserver.schema.migrate;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.Json;

/** Renders a history (see {@link Migrations#history()}) as a text table or one JSON object. */
public final class History {

    private static final DateTimeFormatter APPLIED_AT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private static final String[] HEADER = {"Revision", "Description", "State", "Applied at (UTC)", "By", "ms"};

    private History() {}

    /** An aligned table, one line per revision, under a header line. */
    public static List<String> toText(List<HistoryEntry> entries) {
        if (entries.isEmpty()) {
            return List.of("No revisions in this project or in the database");
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (HistoryEntry entry : entries) {
            rows.add(new String[] {
                entry.revision() == null ? "R" : entry.revision(),
                entry.description(),
                entry.state(),
                entry.appliedAt() == null ? "" : APPLIED_AT.format(entry.appliedAt()),
                entry.appliedBy() == null ? "" : entry.appliedBy(),
                entry.executionMillis() == null ? "" : entry.executionMillis().toString()
            });
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(String.format("%-" + widths[i] + "s", row[i]));
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** {@code {"revisions":[{"revision":"1","description":...,"state":"applied","appliedAt":"...Z",...}]}}. */
    public static String toJson(List<HistoryEntry> entries) {
        List<Map<String, Object>> revisions = new ArrayList<>();
        for (HistoryEntry entry : entries) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("revision", entry.revision());
            json.put("description", entry.description());
            json.put("script", entry.script());
            json.put("state", entry.state());
            json.put(
                    "appliedAt",
                    entry.appliedAt() == null ? null : entry.appliedAt().toString());
            json.put("appliedBy", entry.appliedBy());
            json.put("executionMillis", entry.executionMillis());
            revisions.add(json);
        }
        return Json.write(Map.of("revisions", revisions));
    }
}
