package io.vmiscope.overhead.model;

import io.vmiscope.events.CostSummary;
import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.Observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Measured runs made up from known costs: what a real experiment would record if the guest obeyed the
 * model exactly, plus multiplicative noise on each run's slowdown. The slowdown is computed here
 * independently of {@link OverheadModel}, site by site, so the fit is checked against the physics,
 * not against itself.
 */
final class SyntheticExperiment {

    static final ActionProfile FILES = hook("files", "__x64_sys_openat", "__x64_sys_unlinkat");
    static final ActionProfile PROCEVENTS = hook("procevents", "__x64_sys_execve", "wake_up_new_task", "do_exit");
    /** Shares {@code __x64_sys_execve} with {@link #PROCEVENTS}. */
    static final ActionProfile SYSCALLS_PROCESS = hook("syscalls:process", "__x64_sys_execve", "__x64_sys_clone");
    static final ActionProfile SYSCALLS_READ = hook("syscalls:read", "__x64_sys_read");
    static final ActionProfile PSLIST = new ActionProfile("pslist:1s", Set.of(), Duration.ofSeconds(1), true);
    static final ActionProfile MODULES = new ActionProfile("modules:500ms", Set.of(), Duration.ofMillis(500), false);
    static final List<ActionProfile> ACTIONS = List.of(FILES, PROCEVENTS, SYSCALLS_PROCESS, SYSCALLS_READ, PSLIST, MODULES);

    static final Workload SHELL_LOOP = new Workload("shell-loop", 3000, 1, Map.of("__x64_sys_execve", 1.0,
            "wake_up_new_task", 1.0, "do_exit", 1.0, "__x64_sys_clone", 1.0, "__x64_sys_openat", 4.0,
            "__x64_sys_unlinkat", 0.2, "__x64_sys_read", 6.0));
    static final Workload HTTPD = new Workload("httpd", 200, 2, Map.of("__x64_sys_execve", 1.0,
            "wake_up_new_task", 1.0, "do_exit", 1.0, "__x64_sys_clone", 1.0, "__x64_sys_openat", 3.0,
            "__x64_sys_read", 10.0));
    static final Workload FILE_IO = new Workload("file-io", 2000, 1, Map.of("__x64_sys_openat", 1.0,
            "__x64_sys_unlinkat", 1.0, "__x64_sys_read", 2.0, "__x64_sys_execve", 0.001));
    static final Workload COMPUTE = new Workload("compute", 50, 2, Map.of("__x64_sys_read", 0.4,
            "__x64_sys_openat", 0.1, "__x64_sys_execve", 0.02, "wake_up_new_task", 0.02, "do_exit", 0.02,
            "__x64_sys_clone", 0.02));
    static final List<Workload> WORKLOADS = List.of(SHELL_LOOP, HTTPD, FILE_IO, COMPUTE);

    static final double WALL_SECONDS = 30;

    /** A workload: unmonitored rate, vCPUs, stops per operation at each site. */
    record Workload(String name, double baselineOpsPerSecond, int vcpus, Map<String, Double> stopsPerOp) {
    }

    /**
     * The true costs, in seconds; {@code workingSets} scales the re-translation per workload (1 if absent);
     * {@code armed} is the slowdown an action's inserted breakpoints cost a workload, keyed
     * {@code action@workload} (0 if absent).
     */
    record Truth(double baseStop, double baseStopPerVcpu, Map<String, Double> ownPerHit, Map<String, Double> stoppedPerRun,
                 double retranslation, Map<String, Double> workingSets, double scale, double exponent,
                 double extraPerStopPerVcpu, Map<String, Double> extraPerHit, Map<String, Double> extraPerRun,
                 double queueFactor, Map<String, Double> armed) {

        static Truth typical() {
            return new Truth(0.8e-3, 0.2e-3,
                    Map.of("files", 0.3e-3, "procevents", 0.5e-3, "syscalls:process", 0.4e-3, "syscalls:read", 0.2e-3),
                    Map.of("pslist:1s", 20e-3, "modules:500ms", 3e-3),
                    12e-3, Map.of(), 1e-3, 0.5, 1e-3,
                    Map.of("syscalls:process", 2e-3), Map.of("pslist:1s", 5e-3), 3, Map.of());
        }

        Truth withWorkingSets(Map<String, Double> factors) {
            return new Truth(baseStop, baseStopPerVcpu, ownPerHit, stoppedPerRun, retranslation, factors, scale, exponent,
                    extraPerStopPerVcpu, extraPerHit, extraPerRun, queueFactor, armed);
        }

        Truth withArmed(Map<String, Double> slowdowns) {
            return new Truth(baseStop, baseStopPerVcpu, ownPerHit, stoppedPerRun, retranslation, workingSets, scale, exponent,
                    extraPerStopPerVcpu, extraPerHit, extraPerRun, queueFactor, slowdowns);
        }

        double slowdown(Workload workload, List<ActionProfile> actions) {
            Map<String, Integer> sharers = sharers(actions);
            double stops = 0;
            for (String site : sharers.keySet()) {
                stops += rate(workload, site);
            }
            double share = -Math.expm1(-Math.pow(1 / stops / scale, exponent))
                    * workingSets.getOrDefault(workload.name(), 1.0);
            double hooks = 0;
            for (String site : sharers.keySet()) {
                double perStop = baseStop + baseStopPerVcpu * (workload.vcpus() - 1) + retranslation * share
                        + extraPerStopPerVcpu * (workload.vcpus() - 1);
                for (ActionProfile action : actions) {
                    if (action.sites().contains(site)) {
                        perStop += ownPerHit.getOrDefault(action.id(), 0.0) + extraPerHit.getOrDefault(action.id(), 0.0);
                    }
                }
                hooks += rate(workload, site) * perStop;
            }
            for (ActionProfile action : actions) {
                hooks += armed.getOrDefault(action.id() + "@" + workload.name(), 0.0);
            }
            double paused = 0;
            for (ActionProfile action : actions) {
                if (action.periodic()) {
                    double periodSeconds = action.period().toNanos() / 1e9;
                    double run = stoppedPerRun.get(action.id());
                    paused += (run + extraPerRun.getOrDefault(action.id(), 0.0)) / periodSeconds;
                    if (!action.pausesVm()) {
                        hooks += queueFactor * stops * run * run / (2 * periodSeconds);
                    }
                }
            }
            return (1 + hooks) / (1 - paused) - 1;
        }
    }

    private final Truth truth;
    private final double noise;
    private final Random random;

    /** @param noise standard deviation of each run's relative slowdown error, e.g. 0.03 */
    SyntheticExperiment(Truth truth, double noise, long seed) {
        this.truth = truth;
        this.noise = noise;
        this.random = new Random(seed);
    }

    /** Every combination of 1 to {@code maxActions} of {@link #ACTIONS}. */
    static List<List<ActionProfile>> combinations(int maxActions) {
        List<List<ActionProfile>> all = new ArrayList<>();
        for (int mask = 1; mask < 1 << ACTIONS.size(); mask++) {
            if (Integer.bitCount(mask) <= maxActions) {
                List<ActionProfile> combination = new ArrayList<>();
                for (int i = 0; i < ACTIONS.size(); i++) {
                    if ((mask & 1 << i) != 0) {
                        combination.add(ACTIONS.get(i));
                    }
                }
                all.add(combination);
            }
        }
        return all;
    }

    /** {@code repetitions} runs of every combination on every workload. */
    List<Observation> runs(List<Workload> workloads, List<List<ActionProfile>> combinations, int repetitions) {
        List<Observation> runs = new ArrayList<>();
        for (Workload workload : workloads) {
            for (List<ActionProfile> combination : combinations) {
                for (int r = 0; r < repetitions; r++) {
                    runs.add(run(workload, combination, runs.size()));
                }
            }
        }
        return runs;
    }

    Observation run(Workload workload, List<ActionProfile> actions, int index) {
        double slowdown = truth.slowdown(workload, actions) * (1 + noise * random.nextGaussian());
        double baseline = workload.baselineOpsPerSecond() * (1 + 0.005 * random.nextGaussian());
        double opsPerSecond = baseline / (1 + slowdown);
        double ops = opsPerSecond * WALL_SECONDS;
        Map<String, Integer> sharers = sharers(actions);
        Map<String, Long> stopsBySite = new TreeMap<>();
        for (String site : sharers.keySet()) {
            stopsBySite.put(site, Math.round(workload.stopsPerOp().getOrDefault(site, 0.0) * ops));
        }
        double base = truth.baseStop() + truth.baseStopPerVcpu() * (workload.vcpus() - 1);
        List<CostSummary> costs = new ArrayList<>();
        for (ActionProfile action : actions) {
            if (action.periodic()) {
                long runs = Math.round(WALL_SECONDS * 1e9 / action.period().toNanos());
                long perRun = nanos(truth.stoppedPerRun().get(action.id()));
                costs.add(new CostSummary(action.id(), 0, 0, 0, 0, runs, 0, runs, runs * perRun, perRun, perRun, 40, 8000, 0));
                continue;
            }
            double own = truth.ownPerHit().get(action.id());
            long hits = 0;
            double stopped = 0;
            for (String site : action.sites()) {
                long stops = stopsBySite.get(site);
                hits += stops;
                stopped += stops * (base / sharers.get(site) + own);
            }
            costs.add(new CostSummary(action.id(), hits, hits, 0, 0, hits, 0, 0, nanos(stopped),
                    nanos(base + own), nanos(2 * (base + own)), 3, 200, nanos(own)));
        }
        return new Observation("synthetic", index, workload.name(), actions, workload.vcpus(), baseline, opsPerSecond,
                WALL_SECONDS, stopsBySite, costs.stream().mapToLong(CostSummary::stoppedNanos).sum() / 1e9, costs);
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    private static double rate(Workload workload, String site) {
        return workload.stopsPerOp().getOrDefault(site, 0.0) * workload.baselineOpsPerSecond();
    }

    private static Map<String, Integer> sharers(List<ActionProfile> actions) {
        Map<String, Integer> sharers = new TreeMap<>();
        actions.forEach(a -> a.sites().forEach(s -> sharers.merge(s, 1, Integer::sum)));
        return sharers;
    }

    private static ActionProfile hook(String id, String... sites) {
        return new ActionProfile(id, new TreeSet<>(List.of(sites)), null, false);
    }
}
