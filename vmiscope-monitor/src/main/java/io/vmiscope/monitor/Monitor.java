package io.vmiscope.monitor;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.AccessStats;
import io.vmiscope.api.BreakpointControl;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.GuestConnection;
import io.vmiscope.api.Gva;
import io.vmiscope.api.StopEvent;
import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.CostSummary;
import io.vmiscope.events.Event;
import io.vmiscope.events.EventSink;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.walk.WalkPacer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs introspection actions against one VM: the stop → dispatch → step over → resume loop.
 *
 * <p>Threading: {@link #run} runs the loop on the caller's thread and owns the connection while it
 * runs. {@link #start}, {@link #stop}, {@link #costs}, {@link #running} and {@link #requestEnd} may be
 * called from any thread; starts and stops take effect at the loop's next pause (within
 * {@link Options#controlPoll}). When {@link #run} returns — at the end of its duration, on
 * {@link #requestEnd}, when the guest exits, or when the transport fails — every breakpoint is removed
 * and the VM is left running; the connection stays open for the caller to close.
 *
 * <p>Breakpoints are shared: two actions hooking the same address cost one stop, and the stop's cost is
 * split between them. QEMU's stub does not step over a breakpoint by itself, so after the handlers the
 * monitor removes it, single-steps the vCPU and inserts it again.
 */
public final class Monitor implements AutoCloseable {

    /**
     * @param vm                 the VM's name, written into every event
     * @param controlPoll        longest time the loop lets the VM run before looking at control requests
     * @param returnTimeout      how long a return breakpoint waits for its call to return (host time: a TCG guest
     *                           on a loaded host may take hundreds of milliseconds for a call that needs
     *                           microseconds)
     * @param maxPendingReturns  most calls waiting for their return at once (more are given up at once)
     */
    public record Options(String vm, Duration controlPoll, Duration returnTimeout, int maxPendingReturns) {
        public static Options named(String vm) {
            return new Options(vm, Duration.ofMillis(50), Duration.ofSeconds(1), 1024);
        }
    }

    /** How long an unpaused walk lets the VM run between two steps. */
    static final long UNPAUSED_RUN_NANOS = 1_000_000;

    private final GuestConnection connection;
    private final LinuxGuest linux;
    private final EventSink sink;
    private final Options options;
    private final long epochBaseNanos = System.currentTimeMillis() * 1_000_000L;
    private final long monoBaseNanos = System.nanoTime();

    private final Queue<Runnable> control = new ConcurrentLinkedQueue<>();
    private final Map<String, Running> actions = new LinkedHashMap<>();
    private final Map<String, ActionCost> costs = new ConcurrentHashMap<>();
    private final Map<Long, Site> sites = new LinkedHashMap<>();
    /** Stops per hooked function since the monitor was made, whoever hooked it; return stops excluded. */
    private final Map<String, Long> stopsBySite = new ConcurrentHashMap<>();
    /** The cost of the stops at each hooked function, whoever hooked it; return stops excluded. */
    private final Map<String, ActionCost> costsBySite = new ConcurrentHashMap<>();
    private volatile boolean endRequested;
    private volatile boolean looping;

    private final class Running {
        final Action action;
        final ActionCost cost;
        long nextDueNanos;

        Running(Action action, ActionCost cost) {
            this.action = action;
            this.cost = cost;
            this.nextDueNanos = System.nanoTime();
        }
    }

    private record Registration(Running owner, Hook hook) {
    }

    private record PendingReturn(Running owner, HitHandler handler, Runnable giveUp, long deadlineNanos) {
    }

    /**
     * One breakpoint address: the hooks on it and the calls waiting to return through it. When the
     * instruction under the breakpoint is a no-op, a hit is stepped over by advancing rip.
     */
    private final class Site {
        final Gva address;
        final String symbol;
        final int nopLength;
        BreakpointControl.Breakpoint breakpoint;
        final List<Registration> hooks = new ArrayList<>();
        final Map<Long, PendingReturn> returns = new LinkedHashMap<>();

        Site(Gva address, String symbol) {
            this.address = address;
            this.symbol = symbol;
            this.nopLength = nopAt(address);
            this.breakpoint = connection.insert(address, BreakpointControl.Kind.SOFTWARE);
        }

        boolean unused() {
            return hooks.isEmpty() && returns.isEmpty();
        }
    }

    public Monitor(GuestConnection connection, LinuxGuest linux, EventSink sink, Options options) {
        this.connection = connection;
        this.linux = linux;
        this.sink = sink;
        this.options = options;
    }

    // ------------------------------------------------------------------ control, any thread

    /** Starts an action at the next pause. Starting an id that runs already replaces it. */
    public void start(Action action) {
        costs.putIfAbsent(action.id(), new ActionCost(action.id()));
        control.add(() -> {
            if (actions.containsKey(action.id())) {
                remove(action.id(), "replaced by a new configuration");
            }
            Running running = new Running(action, costs.get(action.id()));
            try {
                for (Hook hook : action.hooks()) {
                    Site site = sites.computeIfAbsent(hook.address().value(), a -> new Site(hook.address(), hook.symbol()));
                    site.hooks.add(new Registration(running, hook));
                }
            } catch (GuestAccessException e) {
                dropRegistrations(running);
                control(action.id(), "failed", "cannot insert a breakpoint: " + e.getMessage());
                return;
            }
            actions.put(action.id(), running);
            control(action.id(), "started", action.hooks().size() + " hooks"
                    + action.periodic().map(p -> ", every " + p.period().toMillis() + " ms").orElse(""));
        });
    }

    /** Stops an action at the next pause: its breakpoints go, its cost record stays. */
    public void stop(String actionId) {
        control.add(() -> remove(actionId, "stopped on request"));
    }

    /** Ids of the running actions (as of the last pause). */
    public Set<String> running() {
        return Set.copyOf(actions.keySet());
    }

    /**
     * Stops at each hooked kernel function so far (by symbol), counted once however many actions share
     * the breakpoint: the hook rates the overhead model works with. Any thread.
     */
    public Map<String, Long> stopsBySite() {
        return Map.copyOf(stopsBySite);
    }

    /**
     * The cost of the stops at each hooked kernel function so far, named by its symbol (in
     * {@link CostSummary#action()}), counted once however many actions share the breakpoint: a stop's
     * VM-stopped time (until the VM was resumed, or could be), round trips and bytes. Any thread.
     */
    public List<CostSummary> costsBySite() {
        return costsBySite.values().stream().map(ActionCost::summary).toList();
    }

    /** Cost so far of every action started in this session. */
    public List<CostSummary> costs() {
        return costs.values().stream().map(ActionCost::summary).toList();
    }

    /** Ends {@link #run} at its next turn. */
    public void requestEnd() {
        endRequested = true;
    }

    // ------------------------------------------------------------------ the loop

    /**
     * Runs the loop for at most {@code maxDuration}. Returns with every breakpoint removed and the VM
     * running. Transport failures propagate after that clean-up.
     */
    public void run(Duration maxDuration) {
        long end = System.nanoTime() + maxDuration.toNanos();
        looping = true;
        String why = "duration reached";
        try {
            while (true) {
                if (endRequested) {
                    why = "end requested";
                    break;
                }
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                if (!control.isEmpty() || periodicDue(now) || returnsExpired(now)) {
                    pauseAndServe(now);
                }
                if (connection.isPaused()) {
                    connection.resume();
                }
                Optional<StopEvent> stop = connection.awaitStop(Duration.ofNanos(waitNanos(end)));
                if (stop.isEmpty()) {
                    continue;
                }
                if (stop.get().reason() == StopEvent.Reason.EXITED) {
                    why = "the guest exited";
                    break;
                }
                handleStop(stop.get());
            }
        } catch (RuntimeException e) {
            why = "failed: " + e.getMessage();
            throw e;
        } finally {
            looping = false;
            cleanUp(why);
        }
    }

    /** Ends the loop if it runs; otherwise removes what this monitor inserted and resumes the VM. */
    @Override
    public void close() {
        requestEnd();
        if (!looping) {
            cleanUp("closed");
        }
    }

    private long waitNanos(long end) {
        long wait = Math.min(options.controlPoll().toNanos(), end - System.nanoTime());
        for (Running r : actions.values()) {
            if (r.action.periodic().isPresent()) {
                wait = Math.min(wait, r.nextDueNanos - System.nanoTime());
            }
        }
        return Math.max(1_000_000L, wait);
    }

    private boolean periodicDue(long now) {
        return actions.values().stream().anyMatch(r -> r.action.periodic().isPresent() && now >= r.nextDueNanos);
    }

    private boolean returnsExpired(long now) {
        return sites.values().stream().anyMatch(s -> s.returns.values().stream().anyMatch(p -> now >= p.deadlineNanos));
    }

    private void pauseAndServe(long now) {
        if (!connection.isPaused()) {
            StopEvent stop = connection.pause();
            if (stop.reason() == StopEvent.Reason.TRAP) {
                // a hook was hit while we asked for the pause: its rip stays at the breakpoint, so
                // resuming makes it trap again and it is handled then
                linux.invalidateCaches();
            }
        }
        linux.invalidateCaches();
        Runnable task;
        while ((task = control.poll()) != null) {
            task.run();
        }
        for (Running r : List.copyOf(actions.values())) {
            Optional<Periodic> periodic = r.action.periodic();
            if (periodic.isPresent() && now >= r.nextDueNanos) {
                runPeriodic(r, periodic.get());
                r.nextDueNanos = System.nanoTime() + periodic.get().period().toNanos();
            }
        }
        expireReturns(System.nanoTime());
    }

    private void runPeriodic(Running r, Periodic periodic) {
        AccessStats before = connection.stats();
        long t0 = System.nanoTime();
        long[] runningNanos = {0};
        WalkPacer pacer = periodic.pauseVm() ? WalkPacer.PAUSED : () -> letTheVmRun(runningNanos);
        try {
            periodic.work().run(new Tick(r.action.id(), this, epochNanos(t0), periodic.pauseVm(), pacer));
        } catch (GuestAccessException e) {
            control(r.action.id(), "failed", "periodic run: " + e.getMessage());
        }
        AccessStats used = connection.stats().minus(before);
        r.cost.periodicRun();
        r.cost.stop(System.nanoTime() - t0 - runningNanos[0], used.roundTrips(), used.bytesRead());
        linux.invalidateCaches();
    }

    /**
     * Between two steps of an unpaused walk: the VM runs for about {@link #UNPAUSED_RUN_NANOS}. A hook
     * hit meanwhile leaves its vCPU on the breakpoint, so it traps again after the walk and is handled then.
     */
    private void letTheVmRun(long[] runningNanos) {
        long t = System.nanoTime();
        connection.resume();
        LockSupport.parkNanos(UNPAUSED_RUN_NANOS);
        connection.pause();
        linux.invalidateCaches();
        runningNanos[0] += System.nanoTime() - t;
    }

    private void handleStop(StopEvent stop) {
        long t0 = System.nanoTime();
        AccessStats before = connection.stats();
        linux.invalidateCaches();
        if (stop.reason() != StopEvent.Reason.TRAP) {
            return; // an interrupt we did not ask for: nothing to dispatch
        }
        Map<String, Long> registers = connection.registers(stop.vcpu());
        Site site = sites.get(registers.getOrDefault("rip", -1L));
        if (site == null) {
            return; // not ours (a breakpoint removed meanwhile): resuming runs on
        }
        StopContext context = new StopContext(stop.vcpu(), registers, epochNanos(t0), linux);
        if (!site.hooks.isEmpty()) {
            stopsBySite.merge(site.symbol, 1L, Long::sum);
        }
        List<Running> charged = dispatch(site, context);
        stepOver(site, stop.vcpu());
        if (site.unused()) {
            removeSite(site);
        }
        AccessStats used = connection.stats().minus(before);
        long stopped = System.nanoTime() - t0;
        if (!site.hooks.isEmpty()) {
            costsBySite.computeIfAbsent(site.symbol, ActionCost::new).siteStop(stopped, used.roundTrips(),
                    used.bytesRead());
        }
        for (Running r : charged) {
            r.cost.stop(stopped / charged.size(), (double) used.roundTrips() / charged.size(),
                    (double) used.bytesRead() / charged.size());
        }
    }

    /** Runs the hooks and the waiting returns at this site; returns the actions the stop is charged to. */
    private List<Running> dispatch(Site site, StopContext context) {
        List<Running> charged = new ArrayList<>();
        for (Registration registration : List.copyOf(site.hooks)) {
            Running owner = registration.owner;
            Hit hit = new Hit(context, owner.action.id(), this);
            long h0 = System.nanoTime();
            ActionCost.HitOutcome outcome;
            try {
                registration.hook.handler().onHit(hit);
                outcome = hit.emitted() > 0 || hit.deferred() ? ActionCost.HitOutcome.EVENTS : ActionCost.HitOutcome.FILTERED;
            } catch (GuestAccessException e) {
                outcome = ActionCost.HitOutcome.FAILED;
            }
            owner.cost.hit(outcome, System.nanoTime() - h0);
            charged.add(owner);
        }
        if (!site.returns.isEmpty()) {
            long rsp = context.register("rsp");
            PendingReturn pending = site.returns.remove(rsp);
            if (pending != null) {
                Hit hit = new Hit(context, pending.owner.action.id(), this);
                long h0 = System.nanoTime();
                try {
                    pending.handler.onHit(hit);
                } catch (GuestAccessException e) {
                    pending.giveUp.run();
                }
                pending.owner.cost.returnHit(System.nanoTime() - h0);
                charged.add(pending.owner);
            } else {
                // another call returning through the same address: charge those still waiting
                site.returns.values().stream().map(PendingReturn::owner).distinct().forEach(charged::add);
            }
        }
        return charged.isEmpty() ? List.of() : charged.stream().distinct().toList();
    }

    /**
     * Steps the vCPU past the breakpoint. Over a no-op the VM is resumed at the next instruction in the
     * same message ({@link GuestConnection#resumeAt}) unless the loop has work to do while it is stopped.
     */
    private void stepOver(Site site, int vcpu) {
        if (site.nopLength > 0) {
            long next = site.address.value() + site.nopLength;
            if (site.unused()) {
                site.breakpoint.close();
            }
            long now = System.nanoTime();
            if (endRequested || !control.isEmpty() || periodicDue(now) || returnsExpired(now)) {
                connection.setRegister(vcpu, "rip", next);
            } else {
                connection.resumeAt(vcpu, next);
            }
            return;
        }
        site.breakpoint.close();
        connection.step(vcpu);
        if (!site.unused()) {
            site.breakpoint = connection.insert(site.address, BreakpointControl.Kind.SOFTWARE);
        }
    }

    /** The length of the no-op at {@code address} (read before the breakpoint goes in), or 0. */
    private int nopAt(Gva address) {
        try {
            return NopInstructions.length(linux.memory().read(AccessContext.kernel(address), NopInstructions.MAX_LENGTH));
        } catch (GuestAccessException e) {
            return 0;
        }
    }

    // ------------------------------------------------------------------ return breakpoints

    void expectReturn(Hit hit, HitHandler onReturn, Runnable giveUp) {
        Running owner = actions.get(hit.action());
        long rsp = hit.register("rsp");
        long pendingCount = sites.values().stream().mapToLong(s -> s.returns.size()).sum();
        if (owner == null || pendingCount >= options.maxPendingReturns()) {
            giveUp.run();
            return;
        }
        long returnAddress;
        try {
            returnAddress = linux.memory().readU64(AccessContext.kernel(Gva.of(rsp)));
        } catch (GuestAccessException e) {
            giveUp.run();
            return;
        }
        if (!Gva.of(returnAddress).isKernelHalf()) {
            giveUp.run();
            return;
        }
        Site site = sites.computeIfAbsent(returnAddress, a -> new Site(Gva.of(a), "return to " + Gva.of(a)));
        // after `ret` the stack pointer is one slot above where the return address was
        site.returns.put(rsp + 8, new PendingReturn(owner, onReturn, giveUp,
                System.nanoTime() + options.returnTimeout().toNanos()));
    }

    private void expireReturns(long now) {
        for (Site site : List.copyOf(sites.values())) {
            Iterator<PendingReturn> it = site.returns.values().iterator();
            while (it.hasNext()) {
                PendingReturn p = it.next();
                if (now >= p.deadlineNanos) {
                    it.remove();
                    p.giveUp.run();
                }
            }
            if (site.unused()) {
                removeSite(site);
            }
        }
    }

    // ------------------------------------------------------------------ bookkeeping

    private void remove(String actionId, String reason) {
        Running running = actions.remove(actionId);
        if (running == null) {
            return;
        }
        dropRegistrations(running);
        control(actionId, "stopped", reason);
    }

    private void dropRegistrations(Running running) {
        for (Site site : List.copyOf(sites.values())) {
            site.hooks.removeIf(r -> r.owner == running);
            site.returns.values().removeIf(p -> {
                if (p.owner == running) {
                    p.giveUp.run();
                    return true;
                }
                return false;
            });
            if (site.unused()) {
                removeSite(site);
            }
        }
    }

    private void removeSite(Site site) {
        site.breakpoint.close();
        sites.remove(site.address.value());
    }

    private void cleanUp(String why) {
        try {
            if (!connection.isPaused() && (!sites.isEmpty() || !control.isEmpty())) {
                connection.pause();
            }
            control.clear();
            for (String id : List.copyOf(actions.keySet())) {
                remove(id, "session ended: " + why);
            }
            for (Site site : List.copyOf(sites.values())) {
                site.returns.values().forEach(p -> p.giveUp.run());
                site.returns.clear();
                removeSite(site);
            }
        } finally {
            if (connection.isPaused()) {
                connection.resume();
            }
        }
    }

    void emit(String action, Event event) {
        costs.computeIfAbsent(action, ActionCost::new).events(1);
        sink.accept(event);
    }

    /** Control events are about the session, not the action's findings: not counted as its events. */
    private void control(String action, String change, String reason) {
        sink.accept(new ControlEvent(epochNanos(System.nanoTime()), options.vm(), action, ProcessRef.NONE, change,
                reason));
    }

    long epochNanos(long monoNanos) {
        return epochBaseNanos + (monoNanos - monoBaseNanos);
    }

    String vm() {
        return options.vm();
    }

    LinuxGuest linux() {
        return linux;
    }

    /** Counts for tests and reports: breakpoints currently inserted by this monitor. */
    int insertedBreakpoints() {
        return sites.size();
    }
}
