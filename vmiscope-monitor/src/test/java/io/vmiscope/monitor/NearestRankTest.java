package io.vmiscope.monitor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NearestRankTest {

    @Test
    void percentile_isAMeasuredValue_withAtLeastThatShareAtOrBelowIt() {
        long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        assertThat(NearestRank.percentile(sorted, 50)).isEqualTo(50);
        assertThat(NearestRank.percentile(sorted, 51)).isEqualTo(60);
        assertThat(NearestRank.percentile(sorted, 99)).isEqualTo(100);
        assertThat(NearestRank.percentile(sorted, 0)).isEqualTo(10);
        assertThat(NearestRank.percentile(new long[]{7}, 99)).isEqualTo(7);
        assertThat(NearestRank.percentile(new long[0], 50)).isZero();
    }
}
