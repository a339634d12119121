package io.vmiscope.overhead.model;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;

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
 * The re-translation and the armed-breakpoint slowdowns are workload-specific (working sets and the
 * code on hooked pages differ). With a finite {@code shrinkage} λ each workload gets columns of its own,
 * pulled toward one common value per cost by penalty rows {@code √λ · n_j · (own − common) = 0}, where
 * {@code n_j} is the own column's root-mean-square weighted entry: a deviation costs as much as it
 * would change a typical row of that workload. What the data cannot tell apart — a new workload's
 * single actions alone do not say how much of their slowdown is stops and how much armed breakpoints —
 * falls back on what the other workloads show. The common values are what a workload the fit has not
 * seen gets. An infinite λ fits the common values only. Each row is weighted by 1 / max(S, floor), so
 * residuals count relative to the slowdown. A column that is zero in every row (nothing in the training
 * set shows that cost) keeps its cost at 0.
 */
final class FitDesign {

    private final List<MeasuredCombination> combinations;
    private final List<CombinationLoad> loads;
    private final Calibration calibration;
    private final List<String> hookActions;
    private final List<String> periodicActions;
    /** The workloads with a re-translation column of their own; empty when λ is infinite. */
    private final List<String> ownRetranslation;
    private final boolean vcpusVary;
    /** The armed-breakpoint columns: every {@code action}, then {@code action@workload} when λ is finite. */
    private final List<String> armedKeys;
    private final double shrinkage;
    private final double[] targets;
    private final double[] weights;

    /**
     * @param shrinkage λ ≥ 0: how strongly each workload's own costs are pulled toward the common ones;
     *                  infinite for common costs only
     */
    FitDesign(List<MeasuredCombination> combinations, Map<String, HookRates> rates, Calibration calibration,
              double slowdownFloor, double shrinkage) {
        if (!(shrinkage >= 0)) {
            throw new IllegalArgumentException("shrinkage must be ≥ 0, was " + shrinkage);
        }
        boolean perWorkload = shrinkage != Double.POSITIVE_INFINITY;
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
        Set<String> own = new TreeSet<>();
        for (MeasuredCombination combination : combinations) {
            for (ActionProfile action : combination.actions()) {
                if (!action.sites().isEmpty() && perWorkload) {
                    own.add(action.id() + "@" + combination.workload());
                }
            }
        }
        List<String> armed = new ArrayList<>(hookActions);
        armed.addAll(own);
        armedKeys = List.copyOf(armed);
        this.shrinkage = shrinkage;
    }

    /** The fitted costs that best explain {@code rows} with this curve, and their weighted squared error. */
    Solution solve(RetranslationCurve curve, List<Integer> rows) {
        int columns = columns();
        List<double[]> penalties = penaltyRows(curve, rows);
        double[][] a = new double[rows.size() + penalties.size()][];
        double[] b = new double[a.length];
        for (int k = 0; k < rows.size(); k++) {
            int i = rows.get(k);
            double[] row = row(i, curve);
            a[k] = new double[columns];
            for (int j = 0; j < columns; j++) {
                a[k][j] = row[j] * weights[i];
            }
            b[k] = targets[i] * weights[i];
        }
        for (int k = 0; k < penalties.size(); k++) {
            a[rows.size() + k] = penalties.get(k);
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
        for (int k = 0; k < a.length; k++) {
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

    /** λ: how strongly each workload's own costs are pulled toward the common ones; infinite for common only. */
    double shrinkage() {
        return shrinkage;
    }


    /**
     * Columns: re-translation (the common one, then one per workload), vCPU, queueing, per hook action,
     * per periodic action, armed breakpoints per hook action (the common ones, then per workload).
     */
    private int columns() {
        return retranslationColumns() + 2 + hookActions.size() + periodicActions.size() + armedKeys.size();
    }

    private int retranslationColumns() {
        return 1 + ownRetranslation.size();
    }

    private int armedColumn(String key) {
        return retranslationColumns() + 2 + hookActions.size() + periodicActions.size() + armedKeys.indexOf(key);
    }

    /** The re-translation column of a workload's rows: its own when λ is finite, else the common one. */
    private int retranslationColumn(String workload) {
        return ownRetranslation.isEmpty() ? 0 : 1 + ownRetranslation.indexOf(workload);
    }

    /** The armed column of an action's rows on a workload: its own when λ is finite, else the common one. */
    private int armedColumn(String action, String workload) {
        return ownRetranslation.isEmpty() ? armedColumn(action) : armedColumn(action + "@" + workload);
    }

    /**
     * {@code √λ · n_j · (own_j − common_j) = 0} for every own column j, with n_j the root mean square
     * of its weighted entries over {@code rows}; none when λ is infinite.
     */
    private List<double[]> penaltyRows(RetranslationCurve curve, List<Integer> rows) {
        if (ownRetranslation.isEmpty()) {
            return List.of();
        }
        double[] squares = new double[columns()];
        for (int i : rows) {
            double[] row = row(i, curve);
            for (int j = 0; j < row.length; j++) {
                squares[j] += row[j] * weights[i] * row[j] * weights[i];
            }
        }
        Map<Integer, Integer> ownToCommon = new TreeMap<>();
        for (String workload : ownRetranslation) {
            ownToCommon.put(retranslationColumn(workload), 0);
        }
        for (String key : armedKeys) {
            int at = key.indexOf('@');
            if (at > 0) {
                ownToCommon.put(armedColumn(key), armedColumn(key.substring(0, at)));
            }
        }
        List<double[]> penalties = new ArrayList<>();
        ownToCommon.forEach((own, common) -> {
            double norm = Math.sqrt(shrinkage * squares[own] / rows.size());
            if (norm > 0) {
                double[] penalty = new double[squares.length];
                penalty[own] = norm;
                penalty[common] = -norm;
                penalties.add(penalty);
            }
        });
        return penalties;
    }

    private double[] row(int i, RetranslationCurve curve) {
        CombinationLoad load = loads.get(i);
        MeasuredCombination combination = combinations.get(i);
        double stops = load.stopsPerSecond();
        double progress = 1 + combination.measuredSlowdown();
        double[] row = new double[columns()];
        row[retranslationColumn(combination.workload())] = stops * curve.share(load.secondsBetweenStops());
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
                row[armedColumn(action.id(), combination.workload())] = 1;
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
        for (String workload : ownRetranslation) {
            int column = retranslationColumn(workload);
            if (norms[column] > 0) {
                byWorkload.put(workload, x[column]);
            }
        }
        double common = x[0];
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
            int column = next++;
            if (norms[column] > 0 || key.indexOf('@') < 0) {
                armed.put(key, x[column]);
            }
        }
        return new FittedCosts(common, byWorkload, curve, perVcpu, perHit, perRun, queueFactor, armed);
    }

    /** Fitted costs and the weighted squared error they leave. */
    record Solution(FittedCosts costs, double squaredError) {
    }
}
