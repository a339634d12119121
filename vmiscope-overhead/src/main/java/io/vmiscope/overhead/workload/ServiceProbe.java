package io.vmiscope.overhead.workload;

import io.vmiscope.overhead.Statistics;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A budget controller's view of a service the VM runs: a {@code GET} of one URL every
 * {@value #PERIOD_MILLIS} ms from the host, its latency against the latency measured before monitoring.
 * What the service's users feel is the slowdown that matters, and it includes what no monitor counter
 * sees (under TCG: re-translation and the cost of inserted breakpoints). A request every
 * {@value #PERIOD_MILLIS} ms adds little load to a quiet service; beside a busy one it does not: beside the
 * demo guest's web workload it slowed that by about 10%, so what it is compared with must run beside it
 * too ({@link #background}). A failed request reads as a slowdown of
 * {@value #FAILED_SLOWDOWN}× (the service does not answer in time), never as none.
 */
public final class ServiceProbe implements ProgressProbe {

    static final long PERIOD_MILLIS = 100;
    static final double FAILED_SLOWDOWN = 19;

    private final HttpGetLoop client;
    private final String url;
    /** The unmonitored median latency; NaN until known. */
    private volatile double baselineNanos;
    private final List<Long> latencies = new ArrayList<>();
    private final Thread loop;
    private int failures;
    private volatile boolean closed;

    private ServiceProbe(InetSocketAddress address, String path, double baselineNanos) {
        this.client = new HttpGetLoop(address, path);
        this.url = "http://" + address.getHostString() + ":" + address.getPort() + path;
        this.baselineNanos = baselineNanos;
        this.loop = new Thread(this::requestEvery, "vmiscope-service-probe");
        loop.setDaemon(true);
    }

    /**
     * Measures the service's latency for {@code baselineWindow} (before monitoring starts), then keeps
     * requesting in the background.
     *
     * @param url {@code http://HOST:PORT/PATH}
     * @throws IllegalArgumentException when the URL is not such, or the service does not answer 200
     */
    public static ServiceProbe start(String url, Duration baselineWindow) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--probe-url needs http://HOST:PORT/PATH, not '" + url + "'");
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--probe-url needs http://HOST:PORT/PATH, not '" + url + "'");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
        Rate baseline;
        try {
            baseline = new HttpGetLoop(address, path).measure(baselineWindow);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("--probe-url: " + e.getMessage());
        }
        ServiceProbe probe = new ServiceProbe(address, path, baseline.latencies().orElseThrow().p50Millis() * 1e6);
        probe.loop.start();
        return probe;
    }

    /**
     * Starts requesting {@code path} of a server the host reaches at {@code address} in the background,
     * without a baseline yet: {@link #baseline} takes the latencies until then as the unmonitored ones.
     */
    public static ServiceProbe background(InetSocketAddress address, String path) {
        ServiceProbe probe = new ServiceProbe(address, path, Double.NaN);
        probe.loop.start();
        return probe;
    }

    /** The median latency since the start (or the last reading) becomes the unmonitored one. */
    @Override
    public void baseline(Rate unmonitored) {
        Taken taken = drain();
        if (taken.latencies().length == 0) {
            throw new IllegalStateException("no answer from " + url + " to take as the unmonitored latency");
        }
        baselineNanos = taken.median();
    }

    /** One line for people: what is probed and its unmonitored latency. */
    @Override
    public String describe() {
        return String.format(Locale.ROOT, "probing %s every %d ms: unmonitored median latency %.1f ms", url,
                PERIOD_MILLIS, baselineNanos / 1e6);
    }

    @Override
    public OptionalDouble slowdownSinceLastCall() {
        if (Double.isNaN(baselineNanos)) {
            return OptionalDouble.empty(); // what came so far is the baseline's
        }
        Taken taken = drain();
        if (taken.failures() > 0 && taken.failures() >= taken.latencies().length) {
            return OptionalDouble.of(FAILED_SLOWDOWN);
        }
        if (taken.latencies().length == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.max(0, taken.median() / baselineNanos - 1));
    }

    /** The latencies and failures since the last call. */
    private Taken drain() {
        synchronized (latencies) {
            Taken taken = new Taken(latencies.stream().mapToLong(Long::longValue).toArray(), failures);
            latencies.clear();
            failures = 0;
            return taken;
        }
    }

    private record Taken(long[] latencies, int failures) {

        double median() {
            return Statistics.median(Arrays.stream(latencies).asDoubleStream().toArray());
        }
    }

    private void requestEvery() {
        while (!closed) {
            long start = System.nanoTime();
            try {
                long nanos = client.requestNanos();
                synchronized (latencies) {
                    latencies.add(nanos);
                }
            } catch (IllegalStateException e) {
                synchronized (latencies) {
                    failures++;
                }
            }
            long rest = PERIOD_MILLIS - (System.nanoTime() - start) / 1_000_000;
            if (rest > 0) {
                try {
                    Thread.sleep(rest);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
    }
}
