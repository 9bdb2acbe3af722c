package org.bemserver.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A generated corpus: the revisions, the model script that builds their head directly, the
 * reference tables, and the head's counts.
 */
public record Corpus(List<Revision> revisions, String model, List<String> referenceTables, Counts counts) {

    /** What the head schema holds. Indexes are those not backing a constraint. */
    public record Counts(int tables, int indexes, int views, int enumTypes, int referenceRows) {

        @Override
        public String toString() {
            return tables + " tables, " + indexes + " indexes, " + views + " views, " + enumTypes + " enum types, "
                    + referenceRows + " reference rows";
        }
    }

    private static final Pattern SCRIPT = Pattern.compile("[VU][0-9]+__[a-z0-9_]+\\.sql");

    public Corpus {
        revisions = List.copyOf(revisions);
        referenceTables = List.copyOf(referenceTables);
    }

    /**
     * Writes {@code out/migrations/V<n>__<slug>.sql} and {@code U<n>__<slug>.sql},
     * {@code out/model/model.sql} and {@code out/reference-tables}, replacing the scripts of an
     * earlier generation in the same directory.
     */
    public void write(Path out) {
        try {
            Path migrations = Files.createDirectories(out.resolve("migrations"));
            Path model = Files.createDirectories(out.resolve("model"));
            try (Stream<Path> files = Files.list(migrations)) {
                for (Path old : files.filter(
                                f -> SCRIPT.matcher(f.getFileName().toString()).matches())
                        .sorted()
                        .toList()) {
                    Files.delete(old);
                }
            }
            for (Revision revision : revisions) {
                Files.writeString(migrations.resolve(revision.upFile()), revision.up(), StandardCharsets.UTF_8);
                Files.writeString(migrations.resolve(revision.downFile()), revision.down(), StandardCharsets.UTF_8);
            }
            Files.writeString(model.resolve("model.sql"), this.model, StandardCharsets.UTF_8);
            StringBuilder references = new StringBuilder();
            referenceTables.forEach(table -> references.append(table).append('\n'));
            Files.writeString(out.resolve("reference-tables"), references.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the corpus to " + out + ": " + e.getMessage(), e);
        }
    }
}
