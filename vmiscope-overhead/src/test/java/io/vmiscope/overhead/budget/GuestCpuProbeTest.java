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
    void timeTheVmWasStopped_isAddedToTheRequests_thoughTheGuestsClockDoesNotSeeIt() {
        probe.accept(0, 0);
        probe.accept(2 * SECOND, SECOND / 2); // 25% busy
        stopped = SECOND; // of the next 2 s, 1 s stopped: 0.25 s busy in 1 s of guest time is still 25% ...
        probe.accept(4 * SECOND, SECOND / 2 + SECOND / 4);

        // ... but each request waited as long again, stopped: twice as slow
        assertThat(probe.slowdownSinceLastCall()).hasValueCloseTo(1.0, within(1e-9));
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

    @Test
    void aReading_coversTheLastFiveSeconds_notOnlyTheLastSecond() {
        probe.accept(0, 0);
        probe.accept(2 * SECOND, SECOND / 2); // baseline: 25% busy
        long busy = SECOND / 2;
        for (int s = 3; s <= 7; s++) {
            busy += s == 7 ? 0 : SECOND; // 4 s fully busy, then 1 s idle
            probe.accept(s * SECOND, busy);
            if (s < 7) {
                probe.slowdownSinceLastCall();
            }
        }

        // over the last 5 s: 4 s busy of 5 (20% idle), not the last second's 100% idle
        assertThat(probe.slowdownSinceLastCall()).hasValueCloseTo(0.75 / 0.20 - 1, within(1e-9));
    }

    @Test
    void afterTheControllersMove_readingsDescribeOnlyWhatFollows() {
        probe.accept(0, 0);
        probe.accept(2 * SECOND, SECOND / 2);
        probe.accept(3 * SECOND, SECOND / 2 + SECOND); // fully busy before the move
        probe.restart();
        assertThat(probe.slowdownSinceLastCall()).as("nothing since the move").isEmpty();

        probe.accept(4 * SECOND, SECOND / 2 + SECOND + SECOND / 4); // 25% busy after it

        assertThat(probe.slowdownSinceLastCall()).hasValueCloseTo(0.0, within(1e-9));
    }
}
