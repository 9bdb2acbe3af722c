package org.bemserver.schema;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A JUnit XML report: one suite of test cases in the de-facto format that Jenkins, GitLab
 * ({@code artifacts:reports:junit}) and GitHub Actions' test report actions read, so that a CI page
 * shows which check failed and why. Written in UTF-8, whole or not at all.
 *
 * @param suite the suite's name, e.g. {@code db-check}
 * @param time how long the run took (its cases may overlap: it is not their sum)
 * @param cases the test cases, in the order a reader should see them
 */
public record JunitReport(String suite, Duration time, List<TestCase> cases) {

    public JunitReport {
        cases = List.copyOf(cases);
    }

    /**
     * One test case.
     *
     * @param classname what groups the case; CI pages read it as {@code package.class}, e.g.
     *     {@code db-check.stairway}
     * @param name the case, e.g. {@code revision 3 - add site timezone}
     * @param time how long it took
     * @param failure why it failed, or {@code null} when it passed
     */
    public record TestCase(String classname, String name, Duration time, Failure failure) {

        public static TestCase passed(String classname, String name, Duration time) {
            return new TestCase(classname, name, time, null);
        }

        public boolean failed() {
            return failure != null;
        }
    }

    /**
     * Why a test case failed.
     *
     * @param message one line, the title CI pages show (line breaks are turned into spaces)
     * @param type what kind of failure, e.g. {@code drift}
     * @param detail the lines shown under the title
     */
    public record Failure(String message, String type, List<String> detail) {

        public Failure {
            message = message.strip().replaceAll("\\s*\\R\\s*", " ");
            detail = List.copyOf(detail);
        }
    }

    /** How many cases failed. */
    public int failures() {
        return (int) cases.stream().filter(TestCase::failed).count();
    }

    /** The report as XML. */
    public String xml() {
        String counts = " tests=\"" + cases.size() + "\" failures=\"" + failures() + "\" errors=\"0\"";
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuites name=")
                .append(attribute(suite))
                .append(counts)
                .append(" time=\"")
                .append(seconds(time))
                .append("\">\n");
        xml.append("  <testsuite name=")
                .append(attribute(suite))
                .append(counts)
                .append(" skipped=\"0\" time=\"")
                .append(seconds(time))
                .append("\">\n");
        for (TestCase test : cases) {
            xml.append("    <testcase classname=")
                    .append(attribute(test.classname()))
                    .append(" name=")
                    .append(attribute(test.name()))
                    .append(" time=\"")
                    .append(seconds(test.time()))
                    .append('"');
            Failure failure = test.failure();
            if (failure == null) {
                xml.append("/>\n");
                continue;
            }
            xml.append(">\n      <failure message=")
                    .append(attribute(failure.message()))
                    .append(" type=")
                    .append(attribute(failure.type()))
                    .append('>')
                    .append(escape(String.join("\n", failure.detail()), false))
                    .append("</failure>\n");
            xml.append("    </testcase>\n");
        }
        xml.append("  </testsuite>\n</testsuites>\n");
        return xml.toString();
    }

    /** Writes the report to {@code file}, through a temporary file moved into place. */
    public void write(OutputFile file) {
        file.write(xml());
    }

    /** Seconds with milliseconds, as every reader of the format parses them: {@code 12.345}. */
    static String seconds(Duration time) {
        return BigDecimal.valueOf(time.toMillis(), 3).toPlainString();
    }

    private static String attribute(String value) {
        return '"' + escape(value, true) + '"';
    }

    /**
     * Escapes markup; in attributes also quotes and white space, which a parser would otherwise
     * normalise to spaces. A character XML 1.0 cannot hold at all (most control characters, a lone
     * surrogate) is written as a backslash, {@code u} and its four hex digits.
     */
    static String escape(String text, boolean inAttribute) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append(inAttribute ? "&quot;" : "\"");
                case '\'' -> out.append(inAttribute ? "&apos;" : "'");
                case '\n' -> out.append(inAttribute ? "&#10;" : "\n");
                case '\t' -> out.append(inAttribute ? "&#9;" : "\t");
                // XML turns a carriage return into a line feed on reading, in text too
                case '\r' -> out.append("&#13;");
                default -> {
                    if (Character.isHighSurrogate(c)
                            && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF) {
                        out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
