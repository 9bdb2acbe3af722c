package org.bemserver.schema.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.bemserver.schema.catalog.DbObject;
import org.bemserver.schema.catalog.Kind;
import org.junit.jupiter.api.Test;

class ObjectKeyTest {

    @Test
    void aKeyReadsTheSnapshotsTextAndWritesItBackUnchanged() {
        for (String text : List.of(
                "COLUMN|public|sites|name",
                "SCHEMA|null|null|public",
                "FUNCTION|public|null|f(integer)",
                "PRIVILEGE|public|f(a|b)|PUBLIC",
                "COLUMN|public|t|a|b")) {
            assertThat(ObjectKey.parse(text).toString()).isEqualTo(text);
        }
    }

    @Test
    void aKeyEqualsTheKeyOfItsObject() {
        DbObject column = new DbObject(Kind.COLUMN, "column", "public", "sites", "name", Map.of());
        assertThat(ObjectKey.of(column)).isEqualTo(ObjectKey.parse(column.key()));
        assertThat(ObjectKey.of(column).tableKey()).isEqualTo(ObjectKey.parse("TABLE|public|null|sites"));
        assertThat(ObjectKey.of(column).belongsTo(ObjectKey.table("public", "sites")))
                .isTrue();
        assertThat(ObjectKey.of(column).belongsTo(ObjectKey.table("public", "site")))
                .isFalse();
    }

    @Test
    void keysSortAsTheirTextSortsNotPartByPart() {
        ObjectKey event = ObjectKey.parse("COLUMN|public|event|x");
        ObjectKey events = ObjectKey.parse("COLUMN|public|events|x");
        assertThat(new TreeSet<>(List.of(event, events))).containsExactly(events, event);
    }
}
