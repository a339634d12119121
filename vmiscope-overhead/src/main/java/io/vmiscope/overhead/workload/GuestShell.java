package io.vmiscope.overhead.workload;

import java.time.Duration;

/**
 * Runs shell commands in the guest: how guest-side workloads are started, stopped and read. A port,
 * so this module needs no guest launcher; the CLI implements it with the demo guest's test console.
 * Implementations say whether they are thread-safe.
 */
public interface GuestShell {

    /**
     * Runs {@code command} with the guest's {@code sh -c} and waits for it to end.
     *
     * @param timeout the guest kills the command when it runs longer
     * @return what the command printed
     * @throws GuestCommandException when it exits with a non-zero status (also when it was killed)
     */
    String run(String command, Duration timeout);
}
