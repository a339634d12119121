package io.vmiscope.overhead.model;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fit as a linear least-squares problem, for a given {@link RetranslationCurve}. With the measured
 * slowdown S on both sides, {@code 1 + S = (1 + H)/(1 − φ)} becomes
 * {@code S − measured parts = Σ fitted cost × its rate}, linear in the fitted costs:
 *
 * <pre>
 *   S − Σ_a (shared_a · base(v) + hits_a · own_a) − (1 + S) Σ_a runs_a · d_a
 *     = retranslation_w · R · share(1/R) + extraPerVcpu · R · (v − 1) + queueFactor · R · Σ_unpaused runs_a · d_a²/2
 *       + Σ_a extra_a · hits_a + Σ_a extraRun_a · (1 + S) · runs_a
 * </pre>
 *
 * The re-translation is one column for all workloads, or one per workload ({@code perWorkload}: working
 * sets differ). Each row is weighted by 1 / max(S, floor), so residuals count relative to the
 * slowdown. A column that is zero in every row (nothing in the training set shows that cost) keeps
 * its cost at 0.
 */
final class FitDesign {

    private final List<MeasuredCombination> combinations;
    private final List<CombinationLoad> loads;
    private final Calibration calibration;
    private final List<String> hookActions;
    private final List<String> periodicActions;
    /** The workloads with a re-translation column of their own; empty for one column for all. */
    private final List<String> ownRetranslation;
    private final boolean vcpusVary;
    /** The armed-breakpoint columns: {@code action@workload} (per workload) or {@code action}. */
    private final List<String> armedKeys;
    private final boolean perWorkload;
    private final double[] targets;
    private final double[] weights;

    FitDesign(List<MeasuredCombination> combinations, Map<String, HookRates> rates, Calibration calibration,
              double slowdownFloor, boolean perWorkload) {
        this.combinations = List.copyOf(combinations);
        this.calibration = calibration;
        Set<String> hooks = new TreeSet<>();
        Set<String> periodic = new TreeSet<>();
        Set<Integer> vcpuCounts = new TreeSet<>();
        loads = new ArrayList<>();
        targets = new double[combinations.size()];
        weights = new double[combinations.size()];
        for (int i = 0; i < combinations.size(); i++) {
            MeasuredCombination combination = combinations.get(i);
            for (ActionProfile action : combination.actions()) {
                if (!action.sites().isEmpty()) {
                    hooks.add(action.id());
                }
                if (action.periodic()) {
                    periodic.add(action.id());
                }
            }
            vcpuCounts.add(combination.vcpus());
            CombinationLoad load = CombinationLoad.of(combination.actions(), rates.get(combination.workload()));
            loads.add(load);
            double slowdown = combination.measuredSlowdown();
            targets[i] = slowdown - measuredPart(load, combination.vcpus(), slowdown);
            weights[i] = 1 / Math.max(slowdown, slowdownFloor);
        }
        hookActions = List.copyOf(hooks);
        periodicActions = List.copyOf(periodic);
        vcpusVary = vcpuCounts.size() > 1;
        ownRetranslation = perWorkload
                ? combinations.stream().map(MeasuredCombination::workload).distinct().sorted().toList() : List.of();
        Set<String> armed = new TreeSet<>();
        for (MeasuredCombination combination : combinations) {
            for (ActionProfile action : combination.actions()) {
                if (!action.sites().isEmpty()) {
                    armed.add(armedKey(action.id(), combination.workload(), perWorkload));
                }
            }
        }
        armedKeys = List.copyOf(armed);
        this.perWorkload = perWorkload;
    }

    /** The fitted costs that best explain {@code rows} with this curve, and their weighted squared error. */
    Solution solve(RetranslationCurve curve, List<Integer> rows) {
        int columns = columns();
        double[][] a = new double[rows.size()][columns];
        double[] b = new double[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            int i = rows.get(k);
            double[] row = row(i, curve);
            for (int j = 0; j < columns; j++) {
                a[k][j] = row[j] * weights[i];
            }
            b[k] = targets[i] * weights[i];
        }
        double[] norms = new double[columns];
        for (int j = 0; j < columns; j++) {
            for (double[] r : a) {
                norms[j] += r[j] * r[j];
            }
            norms[j] = Math.sqrt(norms[j]);
            for (double[] r : a) {
                r[j] = norms[j] > 0 ? r[j] / norms[j] : 0;
            }
        }
        double[] scaled = NonNegativeLeastSquares.solve(a, b);
        double[] x = new double[columns];
        for (int j = 0; j < columns; j++) {
            x[j] = norms[j] > 0 ? scaled[j] / norms[j] : 0;
        }
        double squaredError = 0;
        for (int k = 0; k < rows.size(); k++) {
            double residual = b[k];
            for (int j = 0; j < columns; j++) {
                residual -= a[k][j] * scaled[j];
            }
            squaredError += residual * residual;
        }
        return new Solution(costs(curve, x, norms), squaredError);
    }

    /** Why some costs stay at 0: parts of the model the training set cannot show. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (!vcpusVary) {
            int vcpus = combinations.get(0).vcpus();
            notes.add("vCPU term not fitted: every training run had " + vcpus + (vcpus == 1 ? " vCPU" : " vCPUs"));
        }
        if (loads.stream().noneMatch(load -> queueRate(load) > 0)) {
            notes.add("queueing term not fitted: no training combination runs hooks beside an unpaused periodic action");
        }
        for (String action : hookActions) {
            if (!calibration.ownSecondsPerHit().containsKey(action)) {
                notes.add(action + ": no cost record to calibrate its hits from; their cost is fitted only");
            }
        }
        for (String action : periodicActions) {
            if (!calibration.stoppedSecondsPerRun().containsKey(action)) {
                notes.add(action + ": no cost record to calibrate its periodic runs from; their cost is fitted only");
            }
        }
        return notes;
    }

    int size() {
        return combinations.size();
    }


    /**
     * Columns: re-translation (one, or one per workload), vCPU, queueing, per hook action, per periodic
     * action, armed breakpoints per hook action (and workload).
     */
    private int columns() {
        return retranslationColumns() + 2 + hookActions.size() + periodicActions.size() + armedKeys.size();
    }

    private static String armedKey(String action, String workload, boolean perWorkload) {
        return perWorkload ? action + "@" + workload : action;
    }

    private int retranslationColumns() {
        return Math.max(1, ownRetranslation.size());
    }

    private double[] row(int i, RetranslationCurve curve) {
        CombinationLoad load = loads.get(i);
        MeasuredCombination combination = combinations.get(i);
        double stops = load.stopsPerSecond();
        double progress = 1 + combination.measuredSlowdown();
        double[] row = new double[columns()];
        row[Math.max(0, ownRetranslation.indexOf(combination.workload()))] = stops * curve.share(load.secondsBetweenStops());
        int next = retranslationColumns();
        row[next++] = vcpusVary ? stops * (combination.vcpus() - 1) : 0;
        row[next++] = queueRate(load);
        for (String action : hookActions) {
            row[next++] = load.hitsPerSecond().getOrDefault(action, 0.0);
        }
        for (String action : periodicActions) {
            row[next++] = progress * load.runsPerSecond().getOrDefault(action, 0.0);
        }
        for (ActionProfile action : combination.actions()) {
            if (!action.sites().isEmpty()) {
                row[next + armedKeys.indexOf(armedKey(action.id(), combination.workload(), perWorkload))] = 1;
            }
        }
        return row;
    }

    /** What the queueing factor multiplies: stops/s × Σ over unpaused runs of runs/s × d²/2. */
    private double queueRate(CombinationLoad load) {
        double sum = 0;
        for (String id : load.unpausedPeriodic()) {
            double runSeconds = calibration.stoppedSecondsPerRun(id);
            sum += load.runsPerSecond().get(id) * runSeconds * runSeconds / 2;
        }
        return load.stopsPerSecond() * sum;
    }

    /** The slowdown the measured (calibrated) costs explain, with the measured slowdown in the pause term. */
    private double measuredPart(CombinationLoad load, int vcpus, double slowdown) {
        double part = 0;
        for (ActionProfile action : load.actions()) {
            String id = action.id();
            part += load.sharedStopsPerSecond().get(id) * calibration.baseStopSeconds(vcpus)
                    + load.hitsPerSecond().get(id) * calibration.ownSecondsPerHit(id)
                    + (1 + slowdown) * load.runsPerSecond().getOrDefault(id, 0.0) * calibration.stoppedSecondsPerRun(id);
        }
        return part;
    }

    /** The costs of solution {@code x}; a workload whose rows never stop (zero column) gets no value of its own. */
    private FittedCosts costs(RetranslationCurve curve, double[] x, double[] norms) {
        Map<String, Double> byWorkload = new TreeMap<>();
        for (int k = 0; k < ownRetranslation.size(); k++) {
            if (norms[k] > 0) {
                byWorkload.put(ownRetranslation.get(k), x[k]);
            }
        }
        double common = byWorkload.isEmpty() ? x[0] : Statistics.median(List.copyOf(byWorkload.values()));
        int next = retranslationColumns();
        double perVcpu = x[next++];
        double queueFactor = x[next++];
        Map<String, Double> perHit = new TreeMap<>();
        for (String action : hookActions) {
            perHit.put(action, x[next++]);
        }
        Map<String, Double> perRun = new TreeMap<>();
        for (String action : periodicActions) {
            perRun.put(action, x[next++]);
        }
        Map<String, Double> armed = new TreeMap<>();
        for (String key : armedKeys) {
            armed.put(key, x[next++]);
        }
        return new FittedCosts(common, byWorkload, curve, perVcpu, perHit, perRun, queueFactor, armed);
    }

    /** Fitted costs and the weighted squared error they leave. */
    record Solution(FittedCosts costs, double squaredError) {
    }
}
