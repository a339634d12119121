package io.vmiscope.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import io.vmiscope.analysis.Analysis;
import io.vmiscope.events.Event;
import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.EventSink;
import io.vmiscope.analysis.EventRow;
import io.vmiscope.store.EventColumns;
import io.vmiscope.store.EventIds;
import io.vmiscope.store.EventReader;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live side of the UI: live events go to every browser that follows their VM (server-sent events), and
 * once a second the views of VMs with new events are refreshed and the browsers told to re-read them.
 * The monitor only queues (a full queue drops and counts, never waits): a slow browser must not slow the
 * monitored VM. A streamed event carries the id it is stored under ({@link EventIds}), computed on the sender
 * thread. A browser whose connection fails is dropped; its EventSource reconnects.
 */
final class LiveStream implements AutoCloseable {

    /** How often new events are folded into the views. */
    static final long REFRESH_MILLIS = 1000;

    /** How often an idle stream gets a comment: a browser gone away is noticed by the failed write. */
    static final long KEEP_ALIVE_SECONDS = 15;

    /** Live events waiting for the browsers at most. */
    static final int QUEUE = 10_000;

    private final EventReader store;
    private final Analysis analysis;
    private final ObjectMapper json;
    private final CopyOnWriteArrayList<Follower> followers = new CopyOnWriteArrayList<>();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    /** Used by the sender thread only. */
    private final EventIds ids = new EventIds();
    private final AtomicLong dropped = new AtomicLong();
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread sender = new Thread(this::sendQueued, "vmiscope-web-stream");
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vmiscope-web-refresh");
        t.setDaemon(true);
        return t;
    });

    private record Follower(SseClient client, String vm) {
        boolean follows(String other) {
            return vm == null || vm.equals(other);
        }
    }

    LiveStream(EventReader store, Analysis analysis, ObjectMapper json) {
        this.store = store;
        this.analysis = analysis;
        this.json = json;
        sender.setDaemon(true);
        sender.start();
        refresher.scheduleWithFixedDelay(this::refreshChanged, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
        refresher.scheduleWithFixedDelay(this::keepAlive, KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Where the monitor's live events go, beside the store (which stores them itself). A control event also
     * tells the browsers following its VM that its actions changed, with the decision and its reason.
     */
    EventSink sink() {
        return this::publish;
    }

    /** A browser follows one VM ({@code vm} set) or all. */
    void follow(SseClient client, String vm) {
        client.keepAlive();
        Follower follower = new Follower(client, vm);
        followers.add(follower);
        client.onClose(() -> followers.remove(follower));
        send(follower, "hello", Map.of("vm", vm == null ? "" : vm));
    }

    /** Tells the browsers following {@code vm} that its actions changed. */
    void actionsChanged(String vm) {
        broadcast(vm, "actions", Map.of("vm", vm));
    }

    /** Tells them about a control decision (e.g. of a budget controller). */
    void control(String vm, String action, String state, String reason) {
        broadcast(vm, "control", Map.of("vm", vm, "action", action, "state", state, "reason", reason));
    }

    private void publish(Event event) {
        if (event instanceof ControlEvent c) {
            control(c.vm(), c.action(), c.change(), c.reason());
            actionsChanged(c.vm());
        }
        changed.add(event.vm());
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    private void sendQueued() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Event event = queue.take();
                String fields = EventColumns.fieldsJson(event);
                broadcast(event.vm(), "event", EventView.of(EventRow.live(ids.live(event, fields), event, fields)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void refreshChanged() {
        for (String vm : Set.copyOf(changed)) {
            changed.remove(vm);
            try {
                store.flush();
                analysis.refresh(vm);
                broadcast(vm, "refreshed", Map.of("vm", vm));
            } catch (RuntimeException e) {
                System.err.println("vmiscope: cannot refresh the views of " + vm + ": " + e.getMessage());
            }
        }
    }

    private void keepAlive() {
        for (Follower f : followers) {
            try {
                f.client().sendComment("keep-alive");
                if (f.client().terminated()) {
                    followers.remove(f);
                }
            } catch (RuntimeException e) {
                followers.remove(f);
            }
        }
    }

    private void broadcast(String vm, String name, Object payload) {
        for (Follower f : followers) {
            if (f.follows(vm)) {
                send(f, name, payload);
            }
        }
    }

    private void send(Follower follower, String name, Object payload) {
        try {
            follower.client().sendEvent(name, json.writeValueAsString(payload));
        } catch (JsonProcessingException | RuntimeException e) {
            followers.remove(follower);
            follower.client().close();
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        sender.interrupt();
        if (dropped.get() > 0) {
            System.err.println("vmiscope: the live stream dropped " + dropped.get() + " events the browsers could not "
                    + "take in time (all are stored)");
        }
        followers.forEach(f -> f.client().close());
        followers.clear();
    }
}
