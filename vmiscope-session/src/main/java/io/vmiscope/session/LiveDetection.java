package io.vmiscope.session;

import io.vmiscope.detect.Detector;
import io.vmiscope.detect.FollowUpRequest;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.EventSink;
import io.vmiscope.store.EventColumns;
import io.vmiscope.store.EventIds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Detection as a sink of a live session: events are queued (the monitor's thread only enqueues, so detection
 * never holds the VM stopped), a thread of its own runs the detector over them with the ids the store keeps
 * them under, and each alert — after its follow-up is decided — goes to the session's sinks like any event:
 * printed, stored, streamed. A full queue drops events (counted, and said once) rather than slow the monitor.
 *
 * <p>It records each alert's latency (event handed to the session → alert handed back), for
 * {@code bench detect}'s live figure.
 */
public final class LiveDetection implements EventSink {

    /** Events waiting for detection; beyond, they are dropped (counted). */
    static final int QUEUE = 100_000;
    /** Latencies kept for the percentiles: the most recent ones. */
    private static final int LATENCIES = 10_000;

    private record Queued(Event event, long arrivedNanos) {
    }

    private final Detector detector;
    private final BlockingQueue<Queued> queue = new ArrayBlockingQueue<>(QUEUE);
    private final EventIds ids = new EventIds();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong alerts = new AtomicLong();
    private final long[] latencies = new long[LATENCIES];
    private final Consumer<String> log;
    private final Thread thread;
    private volatile EventSink out = event -> { };
    private volatile UnaryOperator<AlertEvent> followUp = UnaryOperator.identity();
    private volatile boolean closing;
    private int latencyCount;

    /** @param log one line for people (a full queue) */
    public LiveDetection(Detector detector, Consumer<String> log) {
        this.detector = detector;
        this.log = log;
        this.thread = new Thread(this::detect, "vmiscope-detect");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Where alerts go, and what decides their follow-ups; set before the session's monitor runs (the sinks
     * this detection is one of, so that alerts are printed, stored and streamed like events).
     *
     * @param followUp runs or refuses the introspection an alert asks for and returns the alert saying so
     */
    public void deliverTo(EventSink sinks, UnaryOperator<AlertEvent> followUp) {
        this.out = sinks;
        this.followUp = followUp;
    }

    /** The follow-ups {@code alert} asks for, by its detector. */
    public List<FollowUpRequest> followUps(AlertEvent alert) {
        return detector.followUps(alert);
    }

    @Override
    public void accept(Event event) {
        if (event instanceof AlertEvent || event instanceof ControlEvent) {
            return; // detections and decisions about introspection are not what the guest did
        }
        if (!queue.offer(new Queued(event, System.nanoTime())) && dropped.getAndIncrement() == 0) {
            log.accept("detection falls behind: events are dropped from detection (they are still stored)");
        }
    }

    private void detect() {
        try {
            while (!closing || !queue.isEmpty()) {
                Queued q = queue.poll(100, TimeUnit.MILLISECONDS);
                if (q == null) {
                    continue;
                }
                String id = ids.live(q.event(), EventColumns.fieldsJson(q.event()));
                for (AlertEvent alert : detector.accept(id, q.event())) {
                    raise(alert, q.arrivedNanos());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void raise(AlertEvent alert, long arrivedNanos) {
        AlertEvent decided = followUp.apply(alert);
        out.accept(decided);
        alerts.incrementAndGet();
        synchronized (latencies) {
            latencies[latencyCount++ % LATENCIES] = System.nanoTime() - arrivedNanos;
        }
    }

    /** Alerts raised so far. */
    public long alerts() {
        return alerts.get();
    }

    /** Events dropped because detection fell behind. */
    public long dropped() {
        return dropped.get();
    }

    /** The latency (event handed over → alert delivered) at {@code quantile}, over the recent alerts; -1 for none. */
    public long latencyNanos(double quantile) {
        long[] sorted;
        synchronized (latencies) {
            sorted = Arrays.copyOf(latencies, Math.min(latencyCount, LATENCIES));
        }
        if (sorted.length == 0) {
            return -1;
        }
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    /** Detects what is queued, then the detector's pending alerts, and stops. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<AlertEvent> pending = new ArrayList<>(detector.finish());
        long now = System.nanoTime();
        pending.forEach(a -> raise(a, now));
        log.accept(alerts() == 0 ? "detection: no alerts; " + dropped() + " events dropped"
                : String.format(java.util.Locale.ROOT, "detection: %d alerts; latency from the event to its alert "
                + "p50 %.1f ms, p99 %.1f ms; %d events dropped", alerts(), latencyNanos(0.5) / 1e6,
                latencyNanos(0.99) / 1e6, dropped()));
    }
}
