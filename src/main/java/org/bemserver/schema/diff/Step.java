package org.bemserver.schema.diff;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One step of a script: statements that run together, a node of the ordering graph ({@link StepGraph}). */
final class Step {

    /** What a step does, which sets its rank among ready steps. */
    enum Action {
        DROP,
        RENAME,
        CREATE,
        ALTER,
        OWNED_BY,
        ROWS,
        ROWS_DELETE
    }

    final int id;
    final Action action;
    /** The object the step acts on; for reference rows, their table. */
    final ObjectKey key;

    final int rank;
    /** Breaks ties between ready steps of one rank: the key, marked for the old type a recreation drops. */
    final String sortName;

    final List<MigrationScript.Statement> statements = new ArrayList<>();
    /** The steps this one runs after. */
    final Set<Step> after = new LinkedHashSet<>();
    /** A SET NOT NULL held back until the table's reference rows fill the column. */
    boolean setsNotNull;

    Step(int id, Action action, ObjectKey key, int rank, boolean oldType) {
        this.id = id;
        this.action = action;
        this.key = key;
        this.rank = rank;
        this.sortName = oldType ? key + "#old" : key.toString();
    }

    Step sql(String sql) {
        return sql(sql, null);
    }

    Step sql(String sql, String warning) {
        statements.add(new MigrationScript.Statement(sql, warning, statements.isEmpty()));
        return this;
    }

    /** A statement the engine guessed, with what a reader must check. */
    Step guessed(String sql, String review) {
        statements.add(new MigrationScript.Statement(sql, null, statements.isEmpty(), review));
        return this;
    }

    /** Each statement, the first with the warning. */
    Step sql(List<String> sql, String warning) {
        for (int i = 0; i < sql.size(); i++) {
            sql(sql.get(i), i == 0 ? warning : null);
        }
        return this;
    }
}
