package io.vmiscope.overhead.workload;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The guest as workloads reach it.
 *
 * @param shell runs the guest-side workloads' commands
 * @param httpd the guest's web server as the host reaches it (QEMU forwards a loopback port to the
 *              guest's port 80); the web workload's target
 * @param serialLog the file QEMU writes the guest's first serial port to, where guest-side workloads
 *                  report their counters
 */
public record WorkloadGuest(GuestShell shell, InetSocketAddress httpd, Path serialLog) {

    public WorkloadGuest {
        Objects.requireNonNull(shell, "shell");
        Objects.requireNonNull(httpd, "httpd");
        Objects.requireNonNull(serialLog, "serialLog");
    }
}
