package org.bemserver.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A JUnit XML report read back as a CI server reads it: parsed (so well-formed), and its counts
 * checked against the cases it holds.
 *
 * @param suite the suite's name
 * @param outcomes for each test case by name, in order: {@code passed}, or {@code failed: } and the
 *     failure's message
 * @param details for each failed test case by name, the failure's text
 */
public record JunitXml(String suite, Map<String, String> outcomes, Map<String, String> details) {

    public static JunitXml read(Path file) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            document = factory.newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new AssertionError("Cannot parse " + file + ": " + e.getMessage(), e);
        }
        Element suites = document.getDocumentElement();
        NodeList suiteList = suites.getElementsByTagName("testsuite");
        if (!suites.getTagName().equals("testsuites") || suiteList.getLength() != 1) {
            throw new AssertionError(file + " is not one <testsuite> in <testsuites>");
        }
        Element suite = (Element) suiteList.item(0);
        Map<String, String> outcomes = new LinkedHashMap<>();
        Map<String, String> details = new LinkedHashMap<>();
        NodeList cases = suite.getElementsByTagName("testcase");
        int failures = 0;
        for (int i = 0; i < cases.getLength(); i++) {
            Element test = (Element) cases.item(i);
            NodeList failure = test.getElementsByTagName("failure");
            if (failure.getLength() == 0) {
                outcomes.put(test.getAttribute("name"), "passed");
            } else {
                failures++;
                Element first = (Element) failure.item(0);
                outcomes.put(test.getAttribute("name"), "failed: " + first.getAttribute("message"));
                details.put(test.getAttribute("name"), first.getTextContent());
            }
        }
        for (Element counted : new Element[] {suites, suite}) {
            if (!counted.getAttribute("tests").equals(String.valueOf(cases.getLength()))
                    || !counted.getAttribute("failures").equals(String.valueOf(failures))
                    || !counted.getAttribute("errors").equals("0")) {
                throw new AssertionError("The counts of <" + counted.getTagName() + "> in " + file
                        + " are not those of its " + cases.getLength() + " cases and " + failures + " failures");
            }
        }
        return new JunitXml(suite.getAttribute("name"), outcomes, details);
    }

    public long failures() {
        return outcomes.values().stream()
                .filter(outcome -> outcome.startsWith("failed"))
                .count();
    }
}
