package org.bemserver.schema.lint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.Json;
import org.bemserver.schema.JunitReport;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.OutputFile;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.migrate.Revision;

/** What {@code db-lint} measured and found, revision by revision. */
public record LintResult(List<RevisionLint> revisions) {

    /**
     * One statement.
     *
     * @param line the line it starts on
     * @param summary its first line, shortened
     * @param measured what it did to the tables that existed before the revision
     * @param findings what that means
     * @param ignored the reason of its {@code -- lint:ignore}, or {@code null}: its findings then do not count
     * @param cleared what static linters would have flagged and the measurement cleared
     * @param time how long it ran on the throwaway database (its tables empty)
     */
    public record StatementLint(
            int line,
            String summary,
            String measured,
            List<Finding> findings,
            String ignored,
            List<String> cleared,
            Duration time) {

        /** The findings that count: none when the statement is ignored. */
        public List<Finding> counted() {
            return ignored == null ? findings : List.of();
        }
    }

    /**
     * One revision.
     *
     * @param overall findings about the revision's transaction as a whole
     */
    public record RevisionLint(Revision revision, List<StatementLint> statements, List<Finding> overall) {

        /** Every finding that counts, the statements' then the transaction's. */
        public Stream<Finding> counted() {
            return Stream.concat(statements.stream().flatMap(s -> s.counted().stream()), overall.stream());
        }
    }

    /** When the goal fails: {@code error} (default), {@code warning}, {@code never}. */
    public enum FailOn {
        ERROR,
        WARNING,
        NEVER;

        public static FailOn parse(String value) {
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(
                        "bemserver.failOn must be error, warning or never, not '" + value + "'");
            }
        }
    }

    public LintResult {
        revisions = List.copyOf(revisions);
    }

    public long count(Finding.Level level) {
        return revisions.stream()
                .flatMap(RevisionLint::counted)
                .filter(f -> f.level() == level)
                .count();
    }

    /** The report of {@code target/bemserver/lint-report.txt}, also printed. */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        for (RevisionLint revision : revisions) {
            lines.add("Revision " + revision.revision().label() + " ("
                    + revision.revision().script() + ")");
            for (StatementLint statement : revision.statements()) {
                lines.add("  line " + statement.line() + ": " + statement.summary());
                lines.add("    measured: " + statement.measured());
                for (Finding finding : statement.findings()) {
                    if (statement.ignored() != null) {
                        lines.add("    ignored (lint:ignore " + statement.ignored() + "): " + finding.line());
                    } else {
                        lines.add("    " + finding.line());
                        lines.add("      fix: " + finding.fix());
                    }
                }
                for (String flag : statement.cleared()) {
                    lines.add("    cleared by measurement: " + flag);
                }
            }
            for (Finding finding : revision.overall()) {
                lines.add("  " + finding.line());
                lines.add("    fix: " + finding.fix());
            }
        }
        lines.add(summary());
        return lines;
    }

    /** {@code 1 error, 2 warnings in 2 revisions (5 statements)}. */
    public String summary() {
        long statements =
                revisions.stream().mapToLong(r -> r.statements().size()).sum();
        return "Lint: " + count(count(Finding.Level.ERROR), "error") + ", "
                + count(count(Finding.Level.WARNING), "warning") + " in " + count(revisions.size(), "revision") + " ("
                + count(statements, "statement") + ")";
    }

    /**
     * The JUnit XML report of {@code target/bemserver/lint-report.xml}: one test case per statement
     * (class {@code db-lint.<revision>}, named after its script and line), and one per revision whose
     * transaction as a whole has findings; a case fails when it has findings at the level that fails
     * the build ({@code failOn}), with every finding and its fix as the failure's text.
     */
    public JunitReport junitReport(FailOn failOn) {
        List<JunitReport.TestCase> cases = new ArrayList<>();
        for (RevisionLint revision : revisions) {
            String classname = "db-lint." + revision.revision().id();
            for (StatementLint statement : revision.statements()) {
                cases.add(testCase(
                        classname,
                        revision.revision().script() + ":" + statement.line() + " " + statement.summary(),
                        statement.time(),
                        statement.counted(),
                        failOn));
            }
            if (!revision.overall().isEmpty()) {
                cases.add(testCase(
                        classname,
                        revision.revision().script() + " (its transaction)",
                        Duration.ZERO,
                        revision.overall(),
                        failOn));
            }
        }
        Duration total = revisions.stream()
                .flatMap(r -> r.statements().stream())
                .map(StatementLint::time)
                .reduce(Duration.ZERO, Duration::plus);
        return new JunitReport("db-lint", total, cases);
    }

    private static JunitReport.TestCase testCase(
            String classname, String name, Duration time, List<Finding> findings, FailOn failOn) {
        List<Finding> failing = findings.stream()
                .filter(f -> failOn == FailOn.WARNING || failOn != FailOn.NEVER && f.level() == Finding.Level.ERROR)
                .toList();
        if (failing.isEmpty()) {
            return JunitReport.TestCase.passed(classname, name, time);
        }
        List<String> detail = new ArrayList<>();
        findings.forEach(f -> {
            detail.add(f.line());
            detail.add("  fix: " + f.fix());
        });
        return new JunitReport.TestCase(
                classname,
                name,
                time,
                new JunitReport.Failure(failing.get(0).line(), failing.get(0).rule(), detail));
    }

    /**
     * One JSON object: {@code {"revisions":[{"revision":"4","script":"V4__x.sql","statements":[{"line":2,
     * "statement":"CREATE INDEX ...","measured":"...","findings":[{"rule":...,"level":...,"message":...,"fix":...}],
     * "ignored":null,"cleared":[]}],"findings":[]}],"errors":1,"warnings":0,"report":"target/bemserver/lint-report.txt"}}.
     */
    public String toJson(String reportFile) {
        List<Object> list = new ArrayList<>();
        for (RevisionLint revision : revisions) {
            List<Object> statements = new ArrayList<>();
            for (StatementLint statement : revision.statements()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("line", statement.line());
                json.put("statement", statement.summary());
                json.put("measured", statement.measured());
                json.put("findings", findings(statement.findings()));
                json.put("ignored", statement.ignored());
                json.put("cleared", statement.cleared());
                statements.add(json);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("revision", revision.revision().id());
            json.put("script", revision.revision().script());
            json.put("statements", statements);
            json.put("findings", findings(revision.overall()));
            list.add(json);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("revisions", list);
        json.put("errors", count(Finding.Level.ERROR));
        json.put("warnings", count(Finding.Level.WARNING));
        json.put("report", reportFile);
        return Json.write(json);
    }

    private static List<Object> findings(List<Finding> findings) {
        List<Object> list = new ArrayList<>();
        for (Finding finding : findings) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("rule", finding.rule());
            json.put("level", finding.level().word());
            json.put("message", finding.message());
            json.put("fix", finding.fix());
            list.add(json);
        }
        return list;
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /**
     * Writes the report and the JUnit XML report, prints the report (findings as warnings), and
     * fails when {@code failOn} says so.
     */
    public void finish(FailOn failOn, OutputFile reportFile, OutputFile junitFile, Reporter reporter) {
        junitReport(failOn).write(junitFile);
        if (revisions.isEmpty()) {
            reportFile.writeLines(List.of("Lint: no revision to lint"));
            return;
        }
        List<String> report = report();
        reportFile.writeLines(report);
        long errors = count(Finding.Level.ERROR);
        long warnings = count(Finding.Level.WARNING);
        for (String line : report) {
            if (line.startsWith("    error")
                    || line.startsWith("    warning")
                    || line.startsWith("  error")
                    || line.startsWith("  warning")) {
                reporter.warn(line);
            } else {
                reporter.info(line);
            }
        }
        boolean fails = failOn == FailOn.ERROR && errors > 0 || failOn == FailOn.WARNING && errors + warnings > 0;
        if (fails) {
            throw new MigrationException("db-lint found " + count(errors, "error") + " and "
                    + count(warnings, "warning")
                    + " (listed above and in " + reportFile.shown() + "): apply the fixes, or mark a statement that is "
                    + "safe with -- lint:ignore <reason> on the line above it");
        }
    }
}
