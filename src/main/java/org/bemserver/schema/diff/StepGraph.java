package org.bemserver.schema.diff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Predicate;
import org.bemserver.schema.catalog.DbObject;
import org.bemserver.schema.catalog.Kind;
import org.bemserver.schema.diff.Step.Action;

/**
 * The steps of a script and the order they run in. A step that creates or changes an object runs
 * after the steps that create what it needs in the target ({@code pg_depend} of the target, plus a
 * table before its columns and constraints); a step that drops an object runs after the steps
 * that drop or change what depends on it in the source. Among steps ready to run, a fixed rank
 * (drops first, types and sequences before tables, foreign keys after every table, reference rows
 * last) and then the key decide, so the script is the same every time.
 */
final class StepGraph {

    /** The kinds whose names share one namespace in a schema (pg_class, and pg_type through row types). */
    private static final Set<Kind> SHARED_NAMES =
            EnumSet.of(Kind.TABLE, Kind.VIEW, Kind.SEQUENCE, Kind.INDEX, Kind.TYPE);

    private final ChangePlan plan;
    private final List<Step> steps = new ArrayList<>();
    /** Steps that make an object of the target exist or take its final shape, by key. */
    private final Map<ObjectKey, List<Step>> producing = new HashMap<>();
    /** Steps that drop or change an object of the source, by key. */
    private final Map<ObjectKey, List<Step>> consuming = new HashMap<>();
    /** Identity drops, which free a sequence name a new sequence may take. */
    private final List<Step> identityDrops = new ArrayList<>();

    StepGraph(ChangePlan plan) {
        this.plan = plan;
    }

    /** A step on an object: a drop consumes it, a create produces it, an alter does both. */
    Step add(Action action, DbObject object) {
        ObjectKey key = ObjectKey.of(object);
        Step step = detached(action, key, rank(action, object), false);
        if (action == Action.DROP) {
            consumes(key, step);
        } else {
            produces(key, step);
            if (action == Action.ALTER) {
                consumes(key, step);
            }
        }
        return step;
    }

    /** A step that neither produces nor consumes its object unless told so. */
    Step detached(Action action, ObjectKey key, int rank, boolean oldType) {
        Step step = new Step(steps.size(), action, key, rank, oldType);
        steps.add(step);
        return step;
    }

    void produces(ObjectKey key, Step step) {
        producing.computeIfAbsent(key, k -> new ArrayList<>()).add(step);
    }

    void consumes(ObjectKey key, Step step) {
        consuming.computeIfAbsent(key, k -> new ArrayList<>()).add(step);
    }

    void forgetConsumer(ObjectKey key, Step step) {
        consuming.get(key).remove(step);
    }

    void addIdentityDrop(Step step) {
        identityDrops.add(step);
    }

    List<Step> identityDrops() {
        return identityDrops;
    }

    List<Step> producing(ObjectKey key) {
        return producing.getOrDefault(key, List.of());
    }

    List<Step> consuming(ObjectKey key) {
        return consuming.getOrDefault(key, List.of());
    }

    /** Every step so far, in the order they were added. */
    List<Step> steps() {
        return steps;
    }

    void removeIf(Predicate<Step> filter) {
        steps.removeIf(filter);
    }

    /** The edges: creates after what they need in the target, drops after what needed them in the source. */
    void link() {
        for (Step step : steps) {
            if (step.action == Action.DROP) {
                linkDrop(step);
            } else if (step.action != Action.ROWS && step.action != Action.ROWS_DELETE) {
                linkProduce(step);
            }
        }
    }

    private void linkDrop(Step step) {
        for (ObjectKey dependent : plan.dependents(step.key)) {
            for (Step other : consuming.getOrDefault(dependent, List.of())) {
                if (other != step) {
                    step.after.add(other);
                }
            }
            // what goes with a dropped table goes when the table goes
            DbObject object = plan.source(dependent);
            if (object != null && object.table() != null) {
                for (Step other : consuming.getOrDefault(dependent.tableKey(), List.of())) {
                    if (other != step && other.action == Action.DROP) {
                        step.after.add(other);
                    }
                }
            }
        }
    }

    private void linkProduce(Step step) {
        for (ObjectKey needed : needs(step.key)) {
            for (Step other : producing(needed)) {
                if (other != step && other.action != Action.OWNED_BY) {
                    step.after.add(other);
                }
            }
            // a name freed by a rename or a drop is free before it is taken
            for (Step other : consuming.getOrDefault(needed, List.of())) {
                if (other != step && other.action != Action.ALTER) {
                    step.after.add(other);
                }
            }
        }
        for (Step other : consuming.getOrDefault(step.key, List.of())) {
            if (other != step && other.action == Action.DROP && step.action == Action.CREATE) {
                step.after.add(other);
            }
        }
        if (step.action == Action.CREATE && step.key.kind() == Kind.SEQUENCE) {
            step.after.addAll(identityDrops);
        }
        if (step.action == Action.CREATE && SHARED_NAMES.contains(step.key.kind())) {
            // tables, views, sequences, indexes and types share their names: a table that becomes a
            // view of its name is dropped before the view is created
            for (Map.Entry<ObjectKey, List<Step>> freed : consuming.entrySet()) {
                ObjectKey other = freed.getKey();
                if (SHARED_NAMES.contains(other.kind())
                        && other.kind() != step.key.kind()
                        && other.name().equals(step.key.name())
                        && Objects.equals(other.schema(), step.key.schema())) {
                    freed.getValue().stream()
                            .filter(s -> s.action == Action.DROP || s.action == Action.RENAME)
                            .forEach(step.after::add);
                }
            }
        }
        if (step.action == Action.ALTER) {
            // an altered column waits for the drops of what depended on its old shape
            for (ObjectKey dependent : plan.dependents(step.key)) {
                for (Step other : consuming.getOrDefault(dependent, List.of())) {
                    if (other.action == Action.DROP) {
                        step.after.add(other);
                    }
                }
            }
        }
    }

    /** What an object of the target needs first: its pg_depend references, its table, its columns' needs. */
    private Set<ObjectKey> needs(ObjectKey key) {
        Set<ObjectKey> needs = new LinkedHashSet<>(ChangePlan.dependencies(plan.to(), key));
        DbObject object = plan.target(key);
        if (object == null) {
            return needs;
        }
        if (object.kind() == Kind.PRIVILEGE) {
            needs.add(ObjectKey.subjectOf(object));
        } else if (object.table() != null) {
            needs.add(key.tableKey());
        }
        if (object.schema() != null) {
            needs.add(ObjectKey.schema(object.schema()));
        }
        if (object.kind() == Kind.TABLE) {
            for (DbObject column : ChangePlan.columnsOf(plan.to(), object)) {
                needs.addAll(ChangePlan.dependencies(plan.to(), ObjectKey.of(column)));
            }
            needs.remove(key);
        }
        return needs;
    }

    /** The statements of every step, each step after those it waits for. */
    List<MigrationScript.Statement> order() {
        Map<Step, Integer> waiting = new HashMap<>();
        Map<Step, List<Step>> followers = new HashMap<>();
        for (Step step : steps) {
            waiting.put(step, step.after.size());
            for (Step before : step.after) {
                followers.computeIfAbsent(before, s -> new ArrayList<>()).add(step);
            }
        }
        PriorityQueue<Step> ready = new PriorityQueue<>(Comparator.comparingInt((Step s) -> s.rank)
                .thenComparing(s -> s.sortName)
                .thenComparingInt(s -> s.id));
        waiting.forEach((step, count) -> {
            if (count == 0) {
                ready.add(step);
            }
        });
        List<MigrationScript.Statement> ordered = new ArrayList<>();
        Set<Step> done = new HashSet<>();
        while (!ready.isEmpty()) {
            Step step = ready.poll();
            done.add(step);
            ordered.addAll(step.statements);
            for (Step follower : followers.getOrDefault(step, List.of())) {
                if (waiting.merge(follower, -1, Integer::sum) == 0) {
                    ready.add(follower);
                }
            }
        }
        if (done.size() < steps.size()) {
            // a cycle the rules did not foresee: keep every statement, in rank order, and say so
            steps.stream()
                    .filter(s -> !done.contains(s))
                    .sorted(Comparator.comparingInt((Step s) -> s.rank))
                    .forEach(s -> s.statements.forEach(statement -> ordered.add(new MigrationScript.Statement(
                            statement.sql(), "the order of this statement could not be derived; review it", true))));
        }
        return ordered;
    }

    /** Among ready steps: drops (dependents first), renames, then creates and alters (types first, foreign keys late). */
    static int rank(Action action, DbObject object) {
        boolean foreignKey = object.kind() == Kind.CONSTRAINT && object.label().equals("foreign key");
        if (action == Action.DROP) {
            return switch (object.kind()) {
                case TRIGGER, POLICY, PRIVILEGE -> 10;
                case VIEW -> 11;
                case CONSTRAINT -> foreignKey ? 12 : 13;
                case INDEX -> 14;
                case FUNCTION -> 15;
                case COLUMN -> 16;
                case TABLE -> 17;
                case SEQUENCE -> 18;
                case TYPE, COLLATION -> 19;
                case EXTENSION -> 20;
                case SCHEMA -> 21;
            };
        }
        if (action == Action.RENAME) {
            return 30;
        }
        if (action == Action.OWNED_BY) {
            return 80;
        }
        return switch (object.kind()) {
            case SCHEMA -> 40;
            case EXTENSION -> 41;
            case COLLATION, TYPE -> 42;
            case FUNCTION -> 43;
            case SEQUENCE -> 44;
            case TABLE -> 45;
            case COLUMN -> 46;
            case CONSTRAINT -> foreignKey ? 49 : 48;
            case INDEX -> 50;
            case VIEW -> 51;
            case TRIGGER -> 52;
            case POLICY -> 53;
            case PRIVILEGE -> 54;
        };
    }
}
