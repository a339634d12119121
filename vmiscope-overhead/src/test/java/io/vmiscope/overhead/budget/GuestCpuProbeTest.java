package io.vmiscope.overhead.budget;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GuestCpuProbeTest {

    private static final long SECOND = 1_000_000_000L;

    private long stopped;
    private final GuestCpuProbe probe = new GuestCpuProbe(1, () -> stopped, 2 * SECOND);

    @Test
    void noReading_beforeTheBaseline() {
        probe.accept(0, 0);
        probe.accept(SECOND, SECOND / 4);

        assertThat(probe.hasBaseline()).isFalse();
        assertThat(probe.slowdownSinceLastCall()).isEmpty();
        assertThat(probe.describe()).contains("measuring the unmonitored baseline");
    }

    @Test
    void aServiceIdle75PercentUnmonitoredAnd25PercentNow_isThreeTimesSlower() {
        probe.accept(0, 0);
        probe.accept(2 * SECOND, SECOND / 2); // 25% busy
        probe.accept(4 * SECOND, SECOND / 2 + 3 * SECOND / 2); // 75% busy

        assertThat(probe.slowdownSinceLastCall()).hasValueCloseTo(2.0, within(1e-9));
        assertThat(probe.describe()).isEqualTo("guest CPUs idle 75% unmonitored, 25% now");
        assertThat(probe.slowdownSinceLastCall()).as("nothing new since").isEmpty();
    }

    @Test
    void timeTheVmWasStopped_passesForNobodyInTheGuest() {
        probe.accept(0, 0);
        probe.accept(2 * SECOND, SECOND / 2); // 25% busy
        stopped = SECOND; // of the next 2 s, 1 s stopped: 0.25 s busy in 1 s of guest time is still 25%
        probe.accept(4 * SECOND, SECOND / 2 + SECOND / 4);

        assertThat(probe.slowdownSinceLastCall()).hasValueCloseTo(0.0, within(1e-9));
    }

    @Test
    void aSaturatedGuest_givesNoReading_andSaysWhy() {
        probe.accept(0, 0);
        probe.accept(2 * SECOND, 2 * SECOND - SECOND / 100); // 99.5% busy
        probe.accept(3 * SECOND, 3 * SECOND - SECOND / 100);

        assertThat(probe.slowdownSinceLastCall()).isEmpty();
        assertThat(probe.describe()).contains("saturated");
    }

    @Test
    void aGuestNeverIdleNow_readsAsALargeFiniteSlowdown() {
        probe.accept(0, 0);
        probe.accept(2 * SECOND, SECOND); // 50% busy
        probe.accept(3 * SECOND, 2 * SECOND); // 100% busy

        assertThat(probe.slowdownSinceLastCall()).hasValueCloseTo(0.5 / GuestCpuProbe.LEAST_IDLE - 1, within(1e-6));
    }
}
