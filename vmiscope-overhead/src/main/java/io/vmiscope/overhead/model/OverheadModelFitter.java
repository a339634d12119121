package io.vmiscope.overhead.model;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Observation;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.apache.commons.math3.optim.univariate.UnivariatePointValuePair;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Fits an {@link OverheadModel} on measured runs of single actions and pairs. Measured costs come
 * from the runs' cost records ({@link Calibration}); the invisible ones by weighted non-negative least
 * squares ({@link FitDesign}) for each candidate re-translation curve — exponents 0.25…1, scales from
 * 1 µs to {@value #LARGEST_SCALE_SECONDS} s on a log grid, refined by Brent's method — keeping the
 * curve with the smallest relative error.
 *
 * <p>Why the scale stops at {@value #LARGEST_SCALE_SECONDS} s: a stop's re-translation is done after a
 * few milliseconds of guest progress (the trace benchmark measures 15–18 ms of it per stop at 50–60
 * stops a second), so the curve saturates early. Workloads that stop the VM thousands of times a second
 * cannot show where it saturates — a cost that grows with the time between stops explains them as
 * well — but only the early saturation predicts sensibly for VMs that stop rarely, which is what the
 * planner asks about.
 *
 * <p>Re-translation and armed-breakpoint costs differ between workloads. They are fitted per workload,
 * pulled toward common values by a strength λ ({@link FitDesign}), when that predicts better what the
 * model is asked for — combinations on a workload known only from its single actions — on the training
 * workloads themselves; else as common values alone.
 *
 * <p>Every training combination is also predicted by a model fitted without it (leave-one-out); those
 * errors give the prediction interval.
 */
public final class OverheadModelFitter {

    private static final double[] EXPONENTS = {0.25, 0.5, 0.75, 1};
    private static final double LOG_SMALLEST_SCALE = -6;
    static final double LARGEST_SCALE_SECONDS = 0.005;
    private static final double LOG_LARGEST_SCALE = Math.log10(LARGEST_SCALE_SECONDS);
    private static final int SCALES_PER_DECADE = 8;

    /**
     * Slowdowns below this make no interval ratio: there the shared host's noise is as large as the
     * slowdown itself, and a ratio of two near-zero numbers says nothing about the model.
     */
    static final double INTERVAL_FLOOR = 0.05;

    /** The finite λ tried for pulling each workload's costs toward the common ones. */
    private static final double[] SHRINKAGES = {0.001, 0.01, 0.1, 1, 10};

    private final FitOptions options;

    public OverheadModelFitter(FitOptions options) {
        this.options = options;
    }

    /**
     * @param training runs of single actions and pairs; every action must have been measured alone
     * @throws IllegalArgumentException when an action was never measured alone, or fewer than two
     *                                  combinations were measured
     */
    public OverheadModel fit(List<Observation> training) {
        requireEveryActionAlone(training);
        Calibration calibration = Calibration.from(training);
        Map<String, HookRates> rates = WorkloadRates.pooled(training);
        List<MeasuredCombination> combinations = MeasuredCombination.of(training);
        if (combinations.size() < 2) {
            throw new IllegalArgumentException("the fit needs at least 2 measured combinations, got " + combinations.size());
        }
        FitDesign common = design(combinations, rates, calibration, Double.POSITIVE_INFINITY);
        List<String> notes = new ArrayList<>(common.notes());
        FitDesign chosenDesign = rates.size() > 1 ? shrunk(common, combinations, rates, calibration, notes) : common;
        Candidate chosen = candidate(chosenDesign, combinations, rates, calibration);
        TrainingSummary summary = new TrainingSummary(
                training.stream().map(Observation::experiment).distinct().sorted().toList(),
                List.copyOf(rates.keySet()), training.size(), combinations.size(),
                chosen.inSample(), chosen.leaveOneOut(), notes);
        return model(calibration, chosen.fitted(), PredictionInterval.of(chosen.ratios(), options.intervalCoverage()), summary);
    }

    private FitDesign design(List<MeasuredCombination> combinations, Map<String, HookRates> rates, Calibration calibration,
                             double shrinkage) {
        return new FitDesign(combinations, rates, calibration, options.slowdownFloor(), shrinkage);
    }

    /**
     * Chooses how strongly each workload's own costs are pulled toward the common ones (λ, {@link FitDesign})
     * by what the model is for: predicting combinations on a workload known only from its single actions.
     * For every training workload with combinations of several actions, the model is fitted without
     * those (its single actions stay) and predicts them; the λ with the smallest mean error over all
     * those predictions wins, common costs alone ({@code common}) when none does better.
     */
    private FitDesign shrunk(FitDesign common, List<MeasuredCombination> combinations, Map<String, HookRates> rates,
                             Calibration calibration, List<String> notes) {
        FitDesign chosen = common;
        double commonError = workloadError(common, combinations, rates, calibration);
        double best = commonError;
        for (double shrinkage : SHRINKAGES) {
            FitDesign design = design(combinations, rates, calibration, shrinkage);
            double error = workloadError(design, combinations, rates, calibration);
            if (error < best) {
                best = error;
                chosen = design;
            }
        }
        if (chosen != common) {
            notes.add(String.format(Locale.ROOT, "costs fitted per workload, pulled toward common ones with λ = %s:"
                    + " its workloads' pairs predicted from their single actions with MAPE %.1f%% against %.1f%%"
                    + " with common costs", chosen.shrinkage(), best, commonError));
        } else if (!Double.isNaN(best)) {
            notes.add(String.format(Locale.ROOT, "costs fitted as common to all workloads: its workloads' pairs"
                    + " predicted from their single actions with MAPE %.1f%%, better than with costs per workload", best));
        }
        return chosen;
    }

    /**
     * Mean absolute percentage error of predicting each workload's combinations of several actions by
     * a model fitted without them; NaN when no workload has any.
     */
    private static double workloadError(FitDesign design, List<MeasuredCombination> combinations, Map<String, HookRates> rates,
                                        Calibration calibration) {
        List<Integer> all = IntStream.range(0, design.size()).boxed().toList();
        double sum = 0;
        int count = 0;
        for (String workload : rates.keySet()) {
            List<Integer> kept = all.stream().filter(i -> !onSeveralActions(combinations.get(i), workload)).toList();
            if (kept.size() == all.size()) {
                continue;
            }
            OverheadModel model = pointModel(calibration, design.solve(bestCurve(design, kept), kept).costs());
            for (int i : all) {
                if (onSeveralActions(combinations.get(i), workload)) {
                    MeasuredCombination combination = combinations.get(i);
                    sum += ErrorFigures.errorPercent(predicted(model, combination, rates), combination.measuredSlowdown());
                    count++;
                }
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private static boolean onSeveralActions(MeasuredCombination combination, String workload) {
        return combination.workload().equals(workload) && combination.actions().size() > 1;
    }

    /** One way of fitting: its best curve and costs, with in-sample and leave-one-out errors. */
    private Candidate candidate(FitDesign design, List<MeasuredCombination> combinations, Map<String, HookRates> rates,
                                Calibration calibration) {
        List<Integer> all = IntStream.range(0, design.size()).boxed().toList();
        RetranslationCurve curve = bestCurve(design, all);
        FittedCosts fitted = design.solve(curve, all).costs();
        OverheadModel pointModel = pointModel(calibration, fitted);
        List<Double> inSampleErrors = new ArrayList<>();
        List<Double> leftOutErrors = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < combinations.size(); i++) {
            MeasuredCombination combination = combinations.get(i);
            int left = i;
            List<Integer> others = all.stream().filter(k -> k != left).toList();
            double predicted = predicted(pointModel(calibration, design.solve(curve, others).costs()), combination, rates);
            leftOutErrors.add(ErrorFigures.errorPercent(predicted, combination.measuredSlowdown()));
            if (predicted > 0 && combination.measuredSlowdown() >= INTERVAL_FLOOR) {
                ratios.add(combination.measuredSlowdown() / predicted);
            }
            inSampleErrors.add(ErrorFigures.errorPercent(predicted(pointModel, combination, rates), combination.measuredSlowdown()));
        }
        return new Candidate(fitted, ErrorFigures.of(inSampleErrors), ErrorFigures.of(leftOutErrors), ratios);
    }

    private record Candidate(FittedCosts fitted, ErrorFigures inSample, ErrorFigures leaveOneOut,
                             List<Double> ratios) {
    }

    private static OverheadModel model(Calibration calibration, FittedCosts fitted, PredictionInterval interval,
                                       TrainingSummary summary) {
        return new OverheadModel(OverheadModel.FORMAT_VERSION, calibration, fitted, interval, summary, null);
    }

    /** A model for point predictions only: no interval, no summary. */
    private static OverheadModel pointModel(Calibration calibration, FittedCosts fitted) {
        return model(calibration, fitted, new PredictionInterval(0.9, 1, 1, 0), null);
    }

    private static double predicted(OverheadModel model, MeasuredCombination combination, Map<String, HookRates> rates) {
        return model.predict(combination.actions(), rates.get(combination.workload()), combination.vcpus()).slowdown();
    }

    /** The curve with the smallest weighted error: a log grid of scales per exponent, then Brent around the best. */
    private static RetranslationCurve bestCurve(FitDesign design, List<Integer> rows) {
        RetranslationCurve best = new RetranslationCurve(0, 1);
        double bestError = design.solve(best, rows).squaredError();
        double step = 1.0 / SCALES_PER_DECADE;
        for (double exponent : EXPONENTS) {
            for (double log = LOG_SMALLEST_SCALE; log <= LOG_LARGEST_SCALE + 1e-9; log += step) {
                RetranslationCurve candidate = new RetranslationCurve(Math.pow(10, log), exponent);
                double error = design.solve(candidate, rows).squaredError();
                if (error < bestError) {
                    best = candidate;
                    bestError = error;
                }
            }
        }
        if (best.scaleSeconds() == 0) {
            return best;
        }
        double exponent = best.exponent();
        double center = Math.log10(best.scaleSeconds());
        UnivariatePointValuePair refined = new BrentOptimizer(1e-6, 1e-9).optimize(new MaxEval(200), GoalType.MINIMIZE,
                new UnivariateObjectiveFunction(log -> design.solve(new RetranslationCurve(Math.pow(10, log), exponent), rows)
                        .squaredError()),
                new SearchInterval(center - step, Math.min(center + step, LOG_LARGEST_SCALE), center));
        return refined.getValue() < bestError ? new RetranslationCurve(Math.pow(10, refined.getPoint()), exponent) : best;
    }

    private static void requireEveryActionAlone(List<Observation> training) {
        Set<String> alone = new TreeSet<>();
        Set<String> all = new TreeSet<>();
        for (Observation observation : training) {
            observation.actions().stream().map(ActionProfile::id).forEach(all::add);
            if (observation.actions().size() == 1) {
                alone.add(observation.actions().get(0).id());
            }
        }
        if (alone.isEmpty()) {
            throw new IllegalArgumentException("no single-action run among the " + training.size()
                    + " training runs: the fit needs every action measured alone");
        }
        all.removeAll(alone);
        if (!all.isEmpty()) {
            throw new IllegalArgumentException("never measured alone: " + String.join(", ", all)
                    + "; the fit needs every action measured alone");
        }
    }
}
