package org.bemserver.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The descriptor maven-plugin-plugin generated from the mojos' annotations (in
 * {@code target/classes} before the tests run), against what the plugin writes by hand.
 */
class PluginDescriptorTest {

    private static final Pattern GOAL_SKIP = Pattern.compile("\\$\\{(bemserver\\.[a-z]+\\.skip)}");

    @Test
    void eclipseM2eIgnoresEveryGoal() throws Exception {
        Document m2e = parse("META-INF/m2e/lifecycle-mapping-metadata.xml");
        List<String> ignored = texts(m2e.getDocumentElement(), "goal");
        assertThat(ignored)
                .containsExactlyInAnyOrderElementsOf(goalSkipProperties().keySet());
        assertThat(m2e.getElementsByTagName("ignore").getLength()).isEqualTo(1);
    }

    @Test
    void theGoalsThatChangeOrCheckADatabaseHaveASkipPropertyNamedAfterThem() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String goal :
                List.of("db-baseline", "db-check", "db-downgrade", "db-drift", "db-lint", "db-setup", "db-upgrade")) {
            expected.put(goal, AbstractProjectMojo.goalSkipProperty(goal));
        }
        Map<String, String> declared = new LinkedHashMap<>();
        goalSkipProperties().forEach((goal, property) -> {
            if (property != null) {
                declared.put(goal, property);
            }
        });
        assertThat(declared).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(expected).containsEntry("db-upgrade", "bemserver.upgrade.skip");
    }

    /** Every goal of the descriptor, with the property of its own skip parameter or null. */
    private static Map<String, String> goalSkipProperties() throws Exception {
        Map<String, String> goals = new LinkedHashMap<>();
        NodeList mojos = parse("META-INF/maven/plugin.xml").getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            String goal = texts(mojo, "goal").get(0);
            String property = null;
            NodeList configuration = mojo.getElementsByTagName("configuration");
            if (configuration.getLength() > 0) {
                for (Node value = configuration.item(0).getFirstChild();
                        value != null;
                        value = value.getNextSibling()) {
                    var matcher = GOAL_SKIP.matcher(value.getTextContent().strip());
                    if (value instanceof Element && matcher.matches()) {
                        assertThat(property)
                                .as("second skip parameter of %s", goal)
                                .isNull();
                        property = matcher.group(1);
                    }
                }
            }
            goals.put(goal, property);
        }
        return goals;
    }

    private static Document parse(String resource) throws Exception {
        try (InputStream in = PluginDescriptorTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    private static List<String> texts(Element parent, String tag) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent().strip());
        }
        return texts;
    }
}
