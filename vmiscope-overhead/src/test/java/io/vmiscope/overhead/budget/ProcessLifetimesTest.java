package io.vmiscope.overhead.budget;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessLifetimesTest {

    @Test
    void aSnapshotEveryP_seesAProcessOfLifetimeL_withProbabilityLOverP() {
        ProcessLifetimes lifetimes = new ProcessLifetimes(List.of(0.5, 1.0, 4.0), List.of());

        // 0.5 s: 1/4; 1 s: 1/2; 4 s: always, for a snapshot every 2 s
        assertThat(lifetimes.shareSeenEvery(Duration.ofSeconds(2))).isEqualTo((0.25 + 0.5 + 1) / 3);
    }

    @Test
    void processesStillAlive_countWithTheAgeTheyReached() {
        ProcessLifetimes lifetimes = new ProcessLifetimes(List.of(), List.of(1.0));

        assertThat(lifetimes.shareSeenEvery(Duration.ofSeconds(4))).isEqualTo(0.25);
    }

    @Test
    void nothingMeasured_givesNoCredit() {
        assertThat(ProcessLifetimes.UNKNOWN.known()).isFalse();
        assertThat(ProcessLifetimes.UNKNOWN.shareSeenEvery(Duration.ofSeconds(1))).isZero();
    }
}
