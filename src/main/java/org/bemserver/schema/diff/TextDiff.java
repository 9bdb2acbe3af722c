package org.bemserver.schema.diff;

import java.util.ArrayList;
import java.util.List;

/** A short line diff of two texts (a function body, a view), for reports. */
final class TextDiff {

    private TextDiff() {}

    /**
     * Lines {@code - old} and {@code + new} where the texts differ (longest common subsequence of
     * lines), at most {@code limit} of them, then {@code ... (n more)}.
     */
    static List<String> lines(String before, String after, int limit) {
        List<String> a = before == null ? List.of() : before.lines().toList();
        List<String> b = after == null ? List.of() : after.lines().toList();
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j))
                        ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
                out.add("- " + a.get(i++));
            } else {
                out.add("+ " + b.get(j++));
            }
        }
        if (out.size() > limit) {
            int more = out.size() - limit;
            out = new ArrayList<>(out.subList(0, limit));
            out.add("... (" + more + " more)");
        }
        return out;
    }
}
