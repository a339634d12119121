package io.vmiscope.overhead.budget;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.CostSummary;
import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A monitor on a simulated VM, for the controller's tests: running actions stop the VM at their sites'
 * rates, each stop for {@code secondsPerStop} (a shared site stops once); periodic actions run at their
 * period for {@code secondsPerRun}. Time moves only when the test says so.
 */
final class SimulatedVm implements MonitorControl {

    private final TestCatalog catalog = new TestCatalog();
    private final Set<String> running = new LinkedHashSet<>();
    private final Map<String, double[]> costs = new HashMap<>(); // stopped nanos, hits, periodic runs
    private final Map<String, Double> stops = new HashMap<>();
    private final Map<String, Long> nextRunNanos = new HashMap<>();
    private final List<String> log = new ArrayList<>();
    private HookRates rates;
    private double secondsPerStop;
    private Map<String, Double> secondsPerStopBySite = Map.of();
    private final double secondsPerRun;
    private long nowNanos;
    private long onNanos;

    SimulatedVm(HookRates rates, double secondsPerStop, double secondsPerRun) {
        this.rates = rates;
        this.secondsPerStop = secondsPerStop;
        this.secondsPerRun = secondsPerRun;
    }

    /** The load changes. */
    void rates(HookRates newRates) {
        this.rates = newRates;
    }

    /** Each stop costs more or less than before. */
    void secondsPerStop(double seconds) {
        this.secondsPerStop = seconds;
    }

    /** Stops at these sites cost these seconds instead. */
    void secondsPerStop(Map<String, Double> bySite) {
        this.secondsPerStopBySite = Map.copyOf(bySite);
    }

    /** Lets {@code nanos} pass with the running actions. */
    void elapse(long nanos) {
        Map<String, List<String>> hookers = new HashMap<>();
        for (String spec : running) {
            catalog.profile(TestCatalog.spec(spec)).sites().forEach(s -> hookers.computeIfAbsent(s, k -> new ArrayList<>()).add(spec));
        }
        hookers.forEach((site, specs) -> {
            double n = rates.stopsPerSecond(site) * nanos / 1e9;
            stops.merge(site, n, Double::sum);
            for (String spec : specs) {
                double[] c = costs.get(spec);
                c[0] += n * secondsPerStopBySite.getOrDefault(site, secondsPerStop) * 1e9 / specs.size();
                c[1] += n;
            }
        });
        nowNanos += nanos;
        for (String spec : running) {
            ActionProfile profile = catalog.profile(TestCatalog.spec(spec));
            if (profile.periodic() && nowNanos >= nextRunNanos.get(spec)) {
                costs.get(spec)[0] += secondsPerRun * 1e9;
                costs.get(spec)[2]++;
                nextRunNanos.put(spec, nextRunNanos.get(spec) + profile.period().toNanos());
            }
        }
        if (!running.isEmpty()) {
            onNanos += nanos;
        }
    }

    @Override
    public String start(ActionSpec spec) {
        String id = spec.toString();
        running.add(id);
        costs.putIfAbsent(id, new double[3]);
        nextRunNanos.put(id, nowNanos);
        log.add("start " + id);
        return id;
    }

    @Override
    public void stop(String actionId) {
        running.remove(actionId);
        log.add("stop " + actionId);
    }

    @Override
    public List<CostSummary> costs() {
        List<CostSummary> summaries = new ArrayList<>();
        costs.forEach((id, c) -> summaries.add(new CostSummary(id, (long) c[1], (long) c[1], 0, 0, (long) c[1], 0,
                (long) c[2], (long) c[0], 0, 0, 0, 0, 0)));
        return summaries;
    }

    @Override
    public Map<String, Long> stopsBySite() {
        Map<String, Long> counted = new HashMap<>();
        stops.forEach((site, n) -> counted.put(site, (long) (double) n));
        return counted;
    }

    Set<String> running() {
        return Set.copyOf(running);
    }

    /** Nanoseconds any action ran. */
    long onNanos() {
        return onNanos;
    }

    List<String> log() {
        return log;
    }

    /** The stopped nanoseconds so far, all actions. */
    long stoppedNanos() {
        return costs.values().stream().mapToLong(c -> (long) c[0]).sum();
    }
}
