package io.vmiscope.cli.bench;

import io.vmiscope.api.AccessStats;
import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.gdb.GdbOptions;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.task.ProcessInfo;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.linux.walk.WalkResult;

import java.util.ArrayList;
import java.util.List;

/**
 * vmiscope's side of {@code bench ps}: repeated full process lists with the VM held stopped, their
 * round trips, and the stub's round-trip time measured on the same connection.
 */
public final class PsBenchmark {

    /**
     * @param walkNanos        time of each measured listing
     * @param roundTripsPerRun times one listing waited for the stub (a pipelined batch counts once; the
     *                         same every run, as caches are dropped)
     * @param requestsPerRun   requests one listing sent
     * @param waitNanos        per measured listing, the time spent waiting for the stub's answers
     * @param replayNanos      per replay, the time to send one listing's recorded request batches again
     *                         with no translation or decoding: the floor for exactly this protocol work
     * @param rtt              single-request round trips measured right after, on the same connection
     * @param last             the last listing
     */
    public record Result(List<Long> walkNanos, long roundTripsPerRun, long requestsPerRun, List<Long> waitNanos,
                         List<Long> replayNanos, Samples rtt,
                         WalkResult<ProcessInfo> last, long slide) {

        /** The protocol floor: round trips × the mean round-trip time. */
        public double floorNanos() {
            return roundTripsPerRun * rtt.mean();
        }
    }

    private PsBenchmark() {
    }

    public static Result run(GdbAddress gdb, KernelProfile profile, int warmup, int runs, int rttSamples) {
        try (GdbDriver driver = GdbDriver.connect(gdb, GdbOptions.DEFAULTS)) {
            Thread hook = new Thread(driver::close, "vmiscope-bench-detach");
            Runtime.getRuntime().addShutdownHook(hook);
            driver.pause();
            RecordingConnection recorder = new RecordingConnection(driver);
            LinuxGuest linux = LinuxGuest.attach(recorder, profile, WalkLimits.DEFAULT);
            List<Long> times = new ArrayList<>();
            List<Long> waits = new ArrayList<>();
            long roundTrips = -1;
            long requests = -1;
            WalkResult<ProcessInfo> last = null;
            for (int i = 0; i < warmup + runs; i++) {
                AccessStats before = driver.stats();
                long t0 = System.nanoTime();
                last = linux.processes();
                long elapsed = System.nanoTime() - t0;
                AccessStats used = driver.stats().minus(before);
                if (i >= warmup) {
                    times.add(elapsed);
                    waits.add(used.waitNanos());
                    roundTrips = used.roundTrips();
                    requests = used.requests();
                }
            }
            recorder.record();
            linux.processes();
            RecordingConnection.Group listing = recorder.stop().get(0); // no stop happens during a listing
            List<Long> replays = new ArrayList<>();
            for (int i = 0; i < warmup + runs; i++) {
                long t0 = System.nanoTime();
                RecordingConnection.replay(driver, listing);
                if (i >= warmup) {
                    replays.add(System.nanoTime() - t0);
                }
            }
            List<Long> rtts = new ArrayList<>();
            for (int i = 0; i < rttSamples; i++) {
                rtts.add(driver.measureRoundTripNanos(1));
            }
            Runtime.getRuntime().removeShutdownHook(hook);
            return new Result(times, roundTrips, requests, waits, replays, Samples.of(rtts), last,
                    linux.location().slide());
        }
    }
}
