package io.vmiscope.overhead.workload;

import java.time.Duration;

/**
 * HTTP requests from the host to the guest's httpd through QEMU's forwarded port: each one makes the
 * guest accept a connection, fork a server process and answer, so network, process and file paths of
 * the guest all take part. The client runs on the host only while a window is measured; nothing of it
 * runs in the guest, so there is nothing to stop.
 */
final class WebWorkload implements Workload {

    @Override
    public String name() {
        return "web";
    }

    @Override
    public String operation() {
        return "one HTTP/1.0 GET of the guest httpd's index page on a new connection, from the host";
    }

    /** Checks that the guest's httpd answers. */
    @Override
    public void start(WorkloadGuest guest) {
        new HttpGetLoop(guest.httpd()).requestNanos();
    }

    @Override
    public void stop(WorkloadGuest guest) {
        // Nothing runs between windows.
    }

    @Override
    public Rate measure(WorkloadGuest guest, Duration window) {
        return new HttpGetLoop(guest.httpd()).measure(window);
    }

    /**
     * Requests of its own, one every {@value ServiceProbe#PERIOD_MILLIS} ms beside the load: their latency
     * against the latency they had until {@link ProgressProbe#baseline}. Beside a measured load they slow it,
     * so baselines are to be measured with the probe running, as everything it is compared with.
     */
    @Override
    public ProgressProbe probe(WorkloadGuest guest) {
        return ServiceProbe.background(guest.httpd(), HttpGetLoop.INDEX);
    }
}
