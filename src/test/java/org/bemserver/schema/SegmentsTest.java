package org.bemserver.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentsTest {

    @Test
    void eachSegmentIsShorterByWhatItsCatchUpCostsSoThatAllEndTogether() {
        // 526 steps; 526 revisions caught up at 0.1 of a step + 474 steps = 526.6
        assertThat(new Segments(2, 25).sizes(1000, 0.1)).containsExactly(526, 474);
        assertThat(new Segments(4, 25).sizes(1000, 0.1)).containsExactly(291, 261, 236, 212);
    }

    @Test
    void aRunTooShortForTheMinimumIsOneSegment() {
        assertThat(new Segments(2, 25).sizes(13, 0.1)).containsExactly(13);
        assertThat(new Segments(2, 25).sizes(49, 0.1)).containsExactly(49);
        // 4 segments would leave the last at 43, below 50: 3 are made
        assertThat(new Segments(4, 50).sizes(200, 0.1)).containsExactly(74, 66, 60);
    }

    @Test
    void aMachineOfManyCoresRunsAtMostEightSegments() {
        assertThat(Segments.of(32, 25).cores()).isEqualTo(8);
        assertThat(Segments.of(32, 25).sizes(100_000, 0.1)).hasSize(8);
        assertThat(Segments.of(2, 25).cores()).isEqualTo(2);
    }

    @Test
    void oneCoreIsOneSegment() {
        assertThat(new Segments(1, 1).sizes(1000, 0.1)).containsExactly(1000);
    }

    @Test
    void theSizesAlwaysAddUpToTheRevisions() {
        for (int revisions = 1; revisions <= 300; revisions++) {
            for (int cores = 1; cores <= 8; cores++) {
                List<Integer> sizes = new Segments(cores, 3).sizes(revisions, 0.1);
                assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(revisions);
                assertThat(sizes).hasSizeLessThanOrEqualTo(cores);
                if (sizes.size() > 1) {
                    assertThat(sizes).allMatch(size -> size >= 3);
                }
            }
        }
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new Segments(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Segments(2, 1).sizes(10, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
