package io.vmiscope.overhead.budget;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DutyCycleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aQuarterOfFourSeconds_isOnOneSecond_thenOffThree() {
        DutyCycle quarter = DutyCycle.of(0.25, Duration.ofSeconds(4));

        assertThat(quarter.on()).isEqualTo(Duration.ofSeconds(1));
        assertThat(quarter.off()).isEqualTo(Duration.ofSeconds(3));
        assertThat(quarter.fraction()).isEqualTo(0.25);
        assertThat(quarter.isOn(0)).isTrue();
        assertThat(quarter.isOn(SECOND - 1)).isTrue();
        assertThat(quarter.isOn(SECOND)).isFalse();
        assertThat(quarter.isOn(4 * SECOND - 1)).isFalse();
        assertThat(quarter.isOn(4 * SECOND)).isTrue();
        assertThat(quarter.describe()).isEqualTo("on 1 s of every 4 s");
    }

    @Test
    void onTime_overManyCycles_isTheFraction() {
        DutyCycle eighth = DutyCycle.of(0.125, Duration.ofSeconds(4));
        long step = SECOND / 100;
        long on = 0;
        for (long t = 0; t < 40 * SECOND; t += step) {
            on += eighth.isOn(t) ? step : 0;
        }
        assertThat((double) on / (40 * SECOND)).isEqualTo(0.125, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void fullAndOff_areAlwaysAndNever() {
        assertThat(DutyCycle.FULL.isOn(123 * SECOND)).isTrue();
        assertThat(DutyCycle.FULL.fraction()).isEqualTo(1);
        assertThat(DutyCycle.OFF.isOn(0)).isFalse();
        assertThat(DutyCycle.OFF.fraction()).isZero();
        assertThat(DutyCycle.FULL.describe()).isEqualTo("always");
    }

    @Test
    void aCycleWithoutTime_orAFractionOutside01_isRefused() {
        assertThatThrownBy(() -> new DutyCycle(Duration.ZERO, Duration.ZERO)).hasMessageContaining("positive period");
        assertThatThrownBy(() -> DutyCycle.of(1.5, Duration.ofSeconds(4))).hasMessageContaining("[0, 1]");
    }
}
