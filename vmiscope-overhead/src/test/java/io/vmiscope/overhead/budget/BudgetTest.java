package io.vmiscope.overhead.budget;

import io.vmiscope.overhead.Prediction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetTest {

    @Test
    void parse_readsPercentagesAndFractionsAlike() {
        assertThat(Budget.parse("10%").maxSlowdown()).isEqualTo(0.10, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Budget.parse("0.1").maxSlowdown()).isEqualTo(0.10);
        assertThat(Budget.parse(" 2.5% ").maxSlowdown()).isEqualTo(0.025, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Budget.parse("5%")).hasToString("5.0%");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ten", "10 %", "-5%", "%", "1e-2"})
    void parse_refusesWhatIsNotABudget_inOneLine(String text) {
        assertThatThrownBy(() -> Budget.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("budget must look like 10% or 0.1").hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0%", "2000%", "11"})
    void parse_refusesBudgetsOutOfRange(String text) {
        assertThatThrownBy(() -> Budget.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("above 0% and at most 1000%");
    }

    @Test
    void fits_judgesOnTheIntervalsUpperEnd() {
        Budget budget = Budget.parse("10%");
        assertThat(budget.fits(new Prediction(0.08, 0.06, 0.10, Map.of()))).isTrue();
        assertThat(budget.fits(new Prediction(0.08, 0.06, 0.11, Map.of()))).isFalse();
    }
}
