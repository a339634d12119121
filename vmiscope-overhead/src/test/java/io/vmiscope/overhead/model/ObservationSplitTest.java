package io.vmiscope.overhead.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObservationSplitTest {

    @Test
    void heldOutWorkload_isValidatedOn_exceptItsCalibrationPass() {
        ObservationSplit split = new ObservationSplit("web", "procevents");
        assertThat(split.group("web", "procevents", 1)).isEqualTo(ValidationGroup.TRAINING);
        assertThat(split.group("web", "network", 1)).isEqualTo(ValidationGroup.HELD_OUT_WORKLOAD);
        assertThat(split.group("web", "network+procevents", 2)).isEqualTo(ValidationGroup.HELD_OUT_WORKLOAD);
        assertThat(split.group("cpu", "network+procevents+pslist:1s", 3)).isEqualTo(ValidationGroup.MANY_ACTIONS);
        assertThat(split.group("cpu", "network+procevents", 2)).isEqualTo(ValidationGroup.TRAINING);
    }

    @Test
    void withoutCalibration_everyCombinationOfTheHeldOutWorkloadValidates() {
        assertThat(new ObservationSplit("web").group("web", "procevents", 1)).isEqualTo(ValidationGroup.HELD_OUT_WORKLOAD);
    }

    @Test
    void singlesCalibration_fitsEverySingleActionOfTheHeldOutWorkload_andValidatesOnItsCombinations() {
        ObservationSplit split = new ObservationSplit("web", ObservationSplit.SINGLES);
        assertThat(split.group("web", "network", 1)).isEqualTo(ValidationGroup.TRAINING);
        assertThat(split.group("web", "procevents", 1)).isEqualTo(ValidationGroup.TRAINING);
        assertThat(split.group("web", "network+procevents", 2)).isEqualTo(ValidationGroup.HELD_OUT_WORKLOAD);
    }
}
