package io.vmiscope.session.live;

import io.vmiscope.events.ActionSpec;
import java.util.List;

/**
 * What starting an on-demand action would cost ({@code Preview} of openapi.yaml).
 *
 * @param template  the template asked for
 * @param spec      the action spec it stands for
 * @param label     for people
 * @param requested its predicted cost beside what already runs
 * @param budget    the VM's budget (maximum slowdown)
 * @param fits      whether the requested action fits the budget (by the interval's upper end)
 * @param notes     one-line remarks, e.g. why a pid filter does not make it cheaper
 * @param variants  cheaper ways that fit, best first
 */
public record ActionPreview(String template, ActionSpec spec, String label, LivePrediction requested, double budget,
                            boolean fits, List<String> notes, List<Variant> variants) {

    public ActionPreview {
        notes = List.copyOf(notes);
        variants = List.copyOf(variants);
    }

    /**
     * A cheaper way.
     *
     * @param coverage  share of the requested coverage it keeps, 0–1
     * @param onMillis  for a time-boxed variant, how long it runs in each period; {@code null} when continuous
     * @param offMillis for a time-boxed variant, how long it pauses in each period; {@code null} when continuous
     */
    public record Variant(ActionSpec spec, String label, double coverage, LivePrediction prediction, Long onMillis,
                          Long offMillis) {
    }
}
