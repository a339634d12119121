package io.vmiscope.overhead.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Runs a {@link Design}'s plan on a {@link Testbed} and stores every finished run at once, so an
 * interrupted experiment (Ctrl-C, a crash, a reboot) resumes with the first run not stored yet.
 *
 * <p>Not thread-safe; {@link #run} blocks until the plan is done or the thread is interrupted (then
 * it returns after the current run, which is stored).
 */
public final class ExperimentRunner {

    /** Reports progress, on the running thread. */
    public interface Progress {

        /** A run begins; {@code eta}: the time left, estimated from the runs of this session. */
        void starting(PlannedRun run, int done, int total, Duration eta);

        /** A run ended and is stored. */
        void finished(PlannedRun run, Window window);
    }

    /** How a call to {@link #run} ended. */
    public record Outcome(int planned, int storedBefore, int ranNow, boolean complete) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExperimentStore store;
    private final Testbed testbed;
    private final Progress progress;
    private final LongSupplier nanoTime;

    public ExperimentRunner(ExperimentStore store, Testbed testbed, Progress progress, LongSupplier nanoTime) {
        this.store = Objects.requireNonNull(store, "store");
        this.testbed = Objects.requireNonNull(testbed, "testbed");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Runs the runs of {@code design} that experiment {@code name} has not stored yet.
     *
     * @throws io.vmiscope.store.StoreException when {@code name} exists with another design
     */
    public Outcome run(String name, Design design) {
        store.register(name, designJson(design));
        Set<Integer> stored = new HashSet<>();
        store.runs(name).forEach(r -> stored.add(r.run()));
        List<PlannedRun> plan = design.plan();
        int storedBefore = (int) plan.stream().filter(r -> stored.contains(r.index())).count();
        int done = storedBefore;
        int ranNow = 0;
        long sessionStart = nanoTime.getAsLong();
        String running = null;
        try {
            for (PlannedRun run : plan) {
                if (stored.contains(run.index())) {
                    continue;
                }
                if (Thread.currentThread().isInterrupted()) {
                    return new Outcome(plan.size(), storedBefore, ranNow, false);
                }
                progress.starting(run, done, plan.size(), eta(sessionStart, ranNow, plan.size() - done));
                if (!run.workload().equals(running)) {
                    if (running != null) {
                        testbed.stopWorkload(running);
                    }
                    running = run.workload();
                    testbed.startWorkload(running);
                }
                Window window = run.baseline()
                        ? testbed.baseline(run.workload(), design.window())
                        : testbed.monitored(run.workload(), run.actions(), design.warmUp(), design.window());
                store.record(new ExperimentRun(name, run.index(), run.baseline() ? "baseline" : "monitored",
                        run.workload(), run.combination(), run.repetition(), System.currentTimeMillis() * 1_000_000L,
                        window.opsPerSecond(), window.wallSeconds(), RunDetail.of(testbed.vcpus(), window).toJson()));
                done++;
                ranNow++;
                progress.finished(run, window);
            }
            return new Outcome(plan.size(), storedBefore, ranNow, true);
        } finally {
            if (running != null) {
                testbed.stopWorkload(running);
            }
        }
    }

    private Duration eta(long sessionStart, int ranNow, int left) {
        if (ranNow == 0) {
            return null;
        }
        long perRun = (nanoTime.getAsLong() - sessionStart) / ranNow;
        return Duration.ofNanos(perRun * left);
    }

    static String designJson(Design design) {
        try {
            return JSON.writeValueAsString(new DesignJson(design.actions(), design.workloads(), design.repetitions(),
                    design.window().toMillis(), design.warmUp().toMillis(), design.baselineEvery(),
                    design.largerCombinations(), design.seed(), design.maxActions()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a design as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private record DesignJson(List<String> actions, List<String> workloads, int repetitions, long windowMillis,
                              long warmUpMillis, int baselineEvery, int largerCombinations, long seed,
                              int maxActions) {
    }
}
