package org.bemserver.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The names of a generated schema: a vocabulary of plain lowercase words (no SQL keyword that
 * would need quoting) and one namespace for everything a schema names (tables, views, sequences,
 * indexes, constraints, types), so that no two objects ever share a name, even across kinds that
 * PostgreSQL keeps apart. A name once taken stays taken, even after its object is dropped or
 * renamed: an undo can always give it back.
 */
final class Names {

    /** PostgreSQL truncates identifiers to 63 bytes; names stay well below, suffix included. */
    static final int MAX = 58;

    static final List<String> ENTITIES = List.of(
            "site",
            "building",
            "floor",
            "space",
            "zone",
            "meter",
            "sensor",
            "device",
            "gateway",
            "energy",
            "weather",
            "tariff",
            "contract",
            "invoice",
            "alarm",
            "event",
            "campaign",
            "report",
            "forecast",
            "occupant",
            "equipment",
            "boiler",
            "chiller",
            "pump",
            "valve",
            "heat",
            "water",
            "power",
            "solar",
            "battery",
            "charger",
            "lighting",
            "ventilation",
            "schedule",
            "setpoint",
            "timeseries",
            "datapoint",
            "tenant",
            "portfolio",
            "project",
            "supplier",
            "inspection",
            "maintenance",
            "audit",
            "notification",
            "account",
            "team",
            "member",
            "permission",
            "document",
            "vendor",
            "circuit",
            "feeder",
            "transformer",
            "thermostat",
            "damper",
            "fan",
            "room",
            "parking",
            "elevator");

    static final List<String> ASPECTS = List.of(
            "readings",
            "settings",
            "profiles",
            "logs",
            "links",
            "properties",
            "measures",
            "states",
            "targets",
            "notes",
            "periods",
            "thresholds",
            "categories",
            "revisions",
            "snapshots",
            "exports",
            "imports",
            "tags",
            "remarks",
            "attachments",
            "assignments",
            "calibrations",
            "figures",
            "summaries",
            "histories",
            "rules",
            "queues",
            "batches",
            "mappings",
            "records",
            "entries",
            "usages",
            "bills",
            "costs",
            "alerts",
            "groupings",
            "contacts",
            "locations",
            "layouts",
            "sessions");

    static final List<String> REFERENCE_TOPICS = List.of(
            "status",
            "energy_kind",
            "unit",
            "currency",
            "country",
            "building_type",
            "meter_type",
            "event_category",
            "severity",
            "data_state",
            "end_use",
            "production_technology",
            "weekday",
            "season",
            "usage_type",
            "fuel",
            "quality_flag",
            "priority_level");

    static final List<String> ENUM_SUFFIXES = List.of("kind", "mode", "level", "phase", "state", "source", "scope");

    static final List<List<String>> ENUM_LABELS = List.of(
            List.of("primary", "secondary", "backup"),
            List.of("auto", "manual", "off"),
            List.of("low", "medium", "high", "critical"),
            List.of("planned", "running", "finished", "cancelled"),
            List.of("draft", "active", "retired"),
            List.of("measured", "estimated", "computed", "imported"),
            List.of("local", "regional", "national", "global"));

    static final List<String> LABELS = List.of(
            "Active",
            "Inactive",
            "Pending",
            "Validated",
            "Rejected",
            "Archived",
            "Draft",
            "Electricity",
            "Gas",
            "Water",
            "Heating",
            "Cooling",
            "Lighting",
            "Ventilation",
            "Solar",
            "Wind",
            "Biomass",
            "Euro",
            "Dollar",
            "Pound",
            "France",
            "Germany",
            "Spain",
            "Italy",
            "Office",
            "School",
            "Hospital",
            "Warehouse",
            "Residential",
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
            "Spring",
            "Summer",
            "Autumn",
            "Winter",
            "Low",
            "Medium",
            "High",
            "Critical",
            "Raw",
            "Cleaned",
            "Estimated",
            "Measured");

    static final List<String> RENAME_WORDS = List.of("main", "current", "value", "info", "ref", "local", "new", "text");

    private final Set<String> taken = new HashSet<>();
    private final Random random;

    Names(Random random) {
        this.random = random;
    }

    boolean isFree(String name) {
        return !taken.contains(name);
    }

    void take(String name) {
        if (!taken.add(name)) {
            throw new IllegalStateException("Name taken twice: " + name);
        }
    }

    /** {@code base} (shortened) if free, else {@code base_2}, {@code base_3}...; taken. */
    String fresh(String base) {
        String name = clip(base, MAX);
        for (int i = 2; !isFree(name); i++) {
            String suffix = "_" + i;
            name = clip(base, MAX - suffix.length()) + suffix;
        }
        take(name);
        return name;
    }

    /** A new table name (and the name of its key's sequence), both free; taken. */
    String table(String base, String keyColumn) {
        String name = clip(base, MAX - keyColumn.length() - 5);
        for (int i = 2; !isFree(name) || !isFree(name + "_" + keyColumn + "_seq"); i++) {
            String suffix = "_" + i;
            name = clip(base, MAX - keyColumn.length() - 5 - suffix.length()) + suffix;
        }
        take(name);
        take(name + "_" + keyColumn + "_seq");
        return name;
    }

    /** A plausible table name from the vocabulary, not necessarily free. */
    String tableBase() {
        return pick(ENTITIES) + "_" + pick(ASPECTS);
    }

    /** {@code text} cut to {@code max} characters, never ending with an underscore. */
    static String clip(String text, int max) {
        String clipped = text.length() <= max ? text : text.substring(0, max);
        while (clipped.endsWith("_")) {
            clipped = clipped.substring(0, clipped.length() - 1);
        }
        return clipped;
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
