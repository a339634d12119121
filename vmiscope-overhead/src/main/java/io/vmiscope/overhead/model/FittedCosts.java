package io.vmiscope.overhead.model;


import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The costs the monitor cannot see, fitted by non-negative least squares on measured slowdowns.
 * All in seconds of guest progress lost.
 *
 * @param retranslationSeconds        re-translating the guest's whole working set after a stop flushed
 *                                    QEMU's translated code (TCG); a stop pays {@code curve.share(…)} of it.
 *                                    The common value, toward which the workloads' own are pulled: what a
 *                                    workload the fit has not seen gets
 * @param retranslationByWorkload     workload → its own working-set re-translation, when the fit found that
 *                                    predicting with costs per workload works better; empty when one value fits all
 * @param curve                       how much of the working set a stop costs, by time between stops
 * @param extraSecondsPerStopPerVcpu  further cost of one stop for each vCPU beyond the first (all-stop:
 *                                    every vCPU is halted and restarted); 0 when the training runs had
 *                                    a single vCPU count
 * @param extraSecondsPerHit          hook action → cost per hit beyond its measured stopped time (e.g. the
 *                                    re-translation after its return breakpoints)
 * @param extraSecondsPerRun          periodic action → cost per run beyond its measured stopped time
 * @param queueFactor                 scales the wait of a stop that arrives while an unpaused periodic run
 *                                    holds the single debugger connection: {@code queueFactor × d²/(2P)}
 *                                    per stop for a run of stopped time d every P seconds (1 when the run
 *                                    lasts exactly its stopped time)
 * @param armedSlowdown               hook action → the slowdown its breakpoints cost while merely inserted,
 *                                    hit or not (QEMU TCG checks every translated block against the
 *                                    breakpoint list, and code on a breakpoint's page runs as one-instruction
 *                                    blocks): {@code action} for the common value, and
 *                                    {@code action@workload} for each workload's own when fitted per workload
 */
public record FittedCosts(double retranslationSeconds, Map<String, Double> retranslationByWorkload,
                          RetranslationCurve curve, double extraSecondsPerStopPerVcpu,
                          Map<String, Double> extraSecondsPerHit, Map<String, Double> extraSecondsPerRun,
                          double queueFactor, Map<String, Double> armedSlowdown) {

    public FittedCosts {
        armedSlowdown = Collections.unmodifiableSortedMap(new TreeMap<>(armedSlowdown));
        retranslationByWorkload = Collections.unmodifiableSortedMap(new TreeMap<>(retranslationByWorkload));
        extraSecondsPerHit = Collections.unmodifiableSortedMap(new TreeMap<>(extraSecondsPerHit));
        extraSecondsPerRun = Collections.unmodifiableSortedMap(new TreeMap<>(extraSecondsPerRun));
    }

    /** The re-translation a stop costs {@code workload} when stops come {@code secondsBetweenStops} apart. */
    public double retranslationSecondsPerStop(String workload, double secondsBetweenStops) {
        return retranslationByWorkload.getOrDefault(workload, retranslationSeconds) * curve.share(secondsBetweenStops);
    }

    /** The action's fitted cost per hit beyond what the monitor measures. */
    public double extraSecondsPerHit(String action) {
        return extraSecondsPerHit.getOrDefault(action, 0.0);
    }

    /**
     * The slowdown the action's inserted breakpoints cost {@code workload} without any stop: the
     * workload's own value when fitted per workload, else the common one (also for a workload the fit
     * has not seen).
     */
    public double armedSlowdown(String action, String workload) {
        Double own = armedSlowdown.get(action + "@" + workload);
        return own != null ? own : armedSlowdown.getOrDefault(action, 0.0);
    }

    /** The action's fitted cost per periodic run beyond what the monitor measures. */
    public double extraSecondsPerRun(String action) {
        return extraSecondsPerRun.getOrDefault(action, 0.0);
    }
}
