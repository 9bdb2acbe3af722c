package org.bemserver.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class JunitReportTest {

    @TempDir
    Path project;

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static Document parse(JunitReport report) throws Exception {
        return parse(report.xml().getBytes(StandardCharsets.UTF_8));
    }

    private static Element testcase(Document document, int index) {
        return (Element) document.getElementsByTagName("testcase").item(index);
    }

    private static JunitReport.TestCase failed(String name, String message, String... detail) {
        return new JunitReport.TestCase(
                "db-check.stairway",
                name,
                Duration.ofMillis(40),
                new JunitReport.Failure(message, "undo", List.of(detail)));
    }

    @Test
    void theSuiteCountsItsCasesAndFailuresAndEachCaseSaysWhetherItPassed() throws Exception {
        JunitReport report = new JunitReport(
                "db-check",
                Duration.ofMillis(12_345),
                List.of(
                        JunitReport.TestCase.passed(
                                "db-check.migrations", "migrations against the model", Duration.ofMillis(2_001)),
                        failed("revision 1 - create users", "the undo leaves 1 difference", "+ enum public.mood"),
                        JunitReport.TestCase.passed("db-check.stairway", "revision 2 - create sites", Duration.ZERO)));
        assertThat(report.failures()).isEqualTo(1);
        Document document = parse(report);
        Element suites = document.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        Element suite = (Element) suites.getElementsByTagName("testsuite").item(0);
        for (Element counted : List.of(suites, suite)) {
            assertThat(counted.getAttribute("name")).isEqualTo("db-check");
            assertThat(counted.getAttribute("tests")).isEqualTo("3");
            assertThat(counted.getAttribute("failures")).isEqualTo("1");
            assertThat(counted.getAttribute("errors")).isEqualTo("0");
            assertThat(counted.getAttribute("time")).isEqualTo("12.345");
        }
        assertThat(suites.getElementsByTagName("testsuite").getLength()).isEqualTo(1);
        assertThat(suite.getElementsByTagName("testcase").getLength()).isEqualTo(3);
        Element model = testcase(document, 0);
        assertThat(model.getAttribute("classname")).isEqualTo("db-check.migrations");
        assertThat(model.getAttribute("name")).isEqualTo("migrations against the model");
        assertThat(model.getAttribute("time")).isEqualTo("2.001");
        assertThat(model.getChildNodes().getLength()).isZero();
        Element failure =
                (Element) testcase(document, 1).getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("the undo leaves 1 difference");
        assertThat(failure.getAttribute("type")).isEqualTo("undo");
        assertThat(failure.getTextContent()).isEqualTo("+ enum public.mood");
        assertThat(testcase(document, 2).getAttribute("time")).isEqualTo("0.000");
        assertThat(testcase(document, 2).getElementsByTagName("failure").getLength())
                .isZero();
    }

    @Test
    void markupQuotesLineBreaksAndAnyCharacterComeBackAsTheyWereWritten() throws Exception {
        String name = "column \"Ünïcode\" <of> 'sites' & more → 🏢";
        List<String> detail = List.of(
                "~ column public.sites.timezone: default 'UTC'::character varying -> 'Europe/Paris'",
                "    -  SELECT a < b && c > d FROM t WHERE x = ']]>'",
                "\tindented by a tab, ending in a carriage return\r");
        JunitReport report = new JunitReport(
                "db-lint \"<all>\"",
                Duration.ofMillis(1),
                List.of(failed(name, "a <bad> & \"quoted\" title", detail.toArray(String[]::new))));
        Document document = parse(report);
        assertThat(document.getDocumentElement().getAttribute("name")).isEqualTo("db-lint \"<all>\"");
        Element testcase = testcase(document, 0);
        assertThat(testcase.getAttribute("name")).isEqualTo(name);
        Element failure = (Element) testcase.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("a <bad> & \"quoted\" title");
        assertThat(failure.getTextContent()).isEqualTo(String.join("\n", detail));
    }

    @Test
    void aLineBreakInANameSurvivesButAMessageIsOneLine() throws Exception {
        JunitReport report = new JunitReport(
                "db-lint",
                Duration.ZERO,
                List.of(failed(
                        "CREATE INDEX ix\n  ON sites (name)",
                        "  ERROR: relation \"sites\" does not exist\n  Position: 20\n",
                        "details")));
        Element testcase = testcase(parse(report), 0);
        assertThat(testcase.getAttribute("name")).isEqualTo("CREATE INDEX ix\n  ON sites (name)");
        assertThat(((Element) testcase.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .isEqualTo("ERROR: relation \"sites\" does not exist Position: 20");
    }

    @Test
    void controlCharactersThatXmlCannotHoldAreWrittenAsEscapes() throws Exception {
        JunitReport report = new JunitReport(
                "db-lint",
                Duration.ZERO,
                List.of(failed("bell\u0007 nul\u0000 lone\uD800 form feed\f", "m", "escape\u001B[0m")));
        Element testcase = testcase(parse(report), 0);
        assertThat(testcase.getAttribute("name")).isEqualTo("bell\\u0007 nul\\u0000 lone\\uD800 form feed\\u000C");
        assertThat(testcase.getElementsByTagName("failure").item(0).getTextContent())
                .isEqualTo("escape\\u001B[0m");
    }

    @Test
    void theReportIsWrittenInUtf8AndWhole() throws Exception {
        Path file = project.resolve("target/bemserver/check-report.xml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "an earlier run's report");
        JunitReport report = new JunitReport(
                "db-check",
                Duration.ofSeconds(3),
                List.of(failed("revision 0.1 - création", "l'annulation ne défait pas tout", "+ enum public.état")));
        report.write(new OutputFile(file, project, "check report"));
        Document document = parse(Files.readAllBytes(file));
        assertThat(document.getXmlEncoding()).isEqualTo("UTF-8");
        assertThat(testcase(document, 0).getAttribute("name")).isEqualTo("revision 0.1 - création");
        assertThat(document.getElementsByTagName("failure").item(0).getTextContent())
                .isEqualTo("+ enum public.état");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("check-report.xml");
        }
    }

    @Test
    void aSuiteWithoutCasesIsStillAReport() throws Exception {
        Document document = parse(new JunitReport("db-lint", Duration.ZERO, List.of()));
        assertThat(document.getDocumentElement().getAttribute("tests")).isEqualTo("0");
        assertThat(document.getElementsByTagName("testsuite").getLength()).isEqualTo(1);
    }
}
