package io.vmiscope.overhead.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a model did on combinations it was not fitted on, kept with the model.
 *
 * @param heldOutWorkload    the workload left out of the fit; {@code null} when none was
 * @param heldOutCalibration its calibration pass (a combination fitted on); {@code null} when none
 * @param figuresByGroup  group label (see {@link Evaluation#figuresByGroup()}) → its error figures, in report order
 */
public record ValidationSummary(String heldOutWorkload, String heldOutCalibration,
                                Map<String, ErrorFigures> figuresByGroup) {

    public ValidationSummary {
        figuresByGroup = Collections.unmodifiableMap(new LinkedHashMap<>(figuresByGroup));
    }
}
