package org.bemserver.bench;

/**
 * One generated revision: its number, what kind of change it is, its slug and the text of its
 * {@code V} and {@code U} scripts.
 */
public record Revision(int number, ChangeKind kind, String slug, String up, String down) {

    public String upFile() {
        return "V" + number + "__" + slug + ".sql";
    }

    public String downFile() {
        return "U" + number + "__" + slug + ".sql";
    }
}
