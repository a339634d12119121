package io.vmiscope.cli.bench;

import io.vmiscope.api.AccessStats;
import io.vmiscope.api.BreakpointControl;
import io.vmiscope.api.Gva;
import io.vmiscope.api.StopEvent;
import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.CostSummary;
import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.gdb.GdbOptions;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.monitor.Monitor;
import io.vmiscope.monitor.NetworkEventsAction;
import io.vmiscope.monitor.ProcessEventsAction;
import io.vmiscope.monitor.SyscallTraceAction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The vmiscope and protocol-floor sides of {@code bench trace}: tracing a set of syscalls for a fixed
 * time while a workload runs in the guest.
 */
public final class TraceBenchmark {

    /** What vmiscope did: events, its cost summary, and the read batches of every stop (for the floor). */
    public record Traced(long events, double seconds, CostSummary cost, List<RecordingConnection.Group> stops,
                         Map<String, Long> hookAddresses, Samples roundTrips, Samples firstAnswers) {
        public double eventsPerSecond() {
            return events / seconds;
        }
    }

    /**
     * The stops at each hooked function while every decoding action ran ({@link Monitor#costsBySite}),
     * and single-request round trips timed on the same connection right after (VM stopped).
     */
    public record Kinds(List<CostSummary> sites, Samples roundTrips) {
    }

    /** What the floor loop did. */
    public record Floor(long hits, double seconds, Samples perHitNanos, double roundTripsPerHit) {
        public double hitsPerSecond() {
            return hits / seconds;
        }
    }

    /** Round trips timed after each phase for the dependency floor. */
    static final int ROUND_TRIP_SAMPLES = 300;

    private TraceBenchmark() {
    }

    public static Traced vmiscope(GdbAddress gdb, KernelProfile profile, ActionSpec.Syscalls syscalls, Duration time) {
        try (GdbDriver driver = GdbDriver.connect(gdb, GdbOptions.DEFAULTS)) {
            RecordingConnection recorder = new RecordingConnection(driver);
            LinuxGuest linux = LinuxGuest.attach(recorder, profile, WalkLimits.DEFAULT);
            AtomicLong events = new AtomicLong();
            Monitor monitor = new Monitor(recorder, linux, e -> events.incrementAndGet(), Monitor.Options.named("bench"));
            SyscallTraceAction trace = new SyscallTraceAction(linux, syscalls, false);
            monitor.start(trace);
            Map<String, Long> hooks = new HashMap<>();
            trace.hooks().stream().filter(h -> h.symbol().startsWith("__x64_sys_")) // the gdb script decodes x64 calls
                    .forEach(h -> hooks.put(h.symbol().replace("__x64_sys_", ""), h.address().value()));
            recorder.record();
            long t0 = System.nanoTime();
            monitor.run(time);
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<Long> registerNanos = recorder.registerNanos();
            List<RecordingConnection.Group> stops = recorder.stop();
            CostSummary cost = monitor.costs().stream().filter(c -> c.action().equals(trace.id())).findFirst()
                    .orElseThrow();
            return new Traced(cost.events(), seconds, cost, stops.subList(1, stops.size()), hooks,
                    roundTrips(driver, ROUND_TRIP_SAMPLES), Samples.of(registerNanos));
        }
    }

    /**
     * Every kind of hit at once: the syscall trace of {@code syscalls}, process events and network events,
     * for {@code time}; then {@code rttSamples} round trips of a minimal request with the VM stopped.
     */
    public static Kinds kinds(GdbAddress gdb, KernelProfile profile, ActionSpec.Syscalls syscalls, Duration time,
                              int rttSamples) {
        try (GdbDriver driver = GdbDriver.connect(gdb, GdbOptions.DEFAULTS)) {
            LinuxGuest linux = LinuxGuest.attach(driver, profile, WalkLimits.DEFAULT);
            Monitor monitor = new Monitor(driver, linux, e -> { }, Monitor.Options.named("bench"));
            monitor.start(new SyscallTraceAction(linux, syscalls, false));
            monitor.start(new ProcessEventsAction(linux, ProcessFilter.ALL));
            monitor.start(new NetworkEventsAction(linux, ProcessFilter.ALL));
            monitor.run(time);
            return new Kinds(monitor.costsBySite(), roundTrips(driver, rttSamples));
        }
    }

    /** Round trips of a minimal request timed with the VM stopped (as during a hit); leaves it running. */
    private static Samples roundTrips(GdbDriver driver, int samples) {
        driver.pause();
        List<Long> nanos = new ArrayList<>(samples);
        for (int i = 0; i < samples; i++) {
            nanos.add(driver.measureRoundTripNanos(1));
        }
        driver.resume();
        return Samples.of(nanos);
    }

    /**
     * The protocol floor: the same breakpoints, stops and step-overs, and per stop the read batches
     * vmiscope sent for a recorded stop, replayed; no translation, no decoding.
     */
    public static Floor floor(GdbAddress gdb, Traced traced, Duration time) {
        List<RecordingConnection.Group> recorded = traced.stops().stream().filter(g -> !g.batches().isEmpty()).toList();
        if (recorded.isEmpty()) {
            throw new IllegalStateException("vmiscope recorded no hits: is the workload running?");
        }
        try (GdbDriver driver = GdbDriver.connect(gdb, GdbOptions.DEFAULTS)) {
            driver.pause();
            Map<Long, BreakpointControl.Breakpoint> breakpoints = new HashMap<>();
            for (long address : traced.hookAddresses().values()) {
                breakpoints.put(address, driver.insert(Gva.of(address), BreakpointControl.Kind.SOFTWARE));
            }
            List<Long> perHit = new ArrayList<>();
            long roundTrips = 0;
            long end = System.nanoTime() + time.toNanos();
            long t0 = System.nanoTime();
            int i = 0;
            while (System.nanoTime() < end) {
                driver.resume();
                StopEvent stop = driver.awaitStop(Duration.ofSeconds(1)).orElse(null);
                if (stop == null) {
                    continue;
                }
                long h0 = System.nanoTime();
                AccessStats before = driver.stats();
                long rip = driver.registers(stop.vcpu()).get("rip");
                RecordingConnection.replay(driver, recorded.get(i++ % recorded.size()));
                BreakpointControl.Breakpoint bp = breakpoints.get(rip);
                if (bp != null) {
                    bp.close();
                    driver.step(stop.vcpu());
                    breakpoints.put(rip, driver.insert(Gva.of(rip), BreakpointControl.Kind.SOFTWARE));
                }
                roundTrips += driver.stats().minus(before).roundTrips();
                perHit.add(System.nanoTime() - h0);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            driver.pause();
            breakpoints.values().forEach(BreakpointControl.Breakpoint::close);
            return new Floor(perHit.size(), seconds, Samples.of(perHit), (double) roundTrips / Math.max(1, perHit.size()));
        }
    }
}
