package io.vmiscope.overhead.experiment;

import java.time.Duration;
import java.util.List;

/**
 * Where an experiment runs: one VM with its workloads and a debugger connection. The CLI implements
 * it with the demo guest, its test console and the monitor; tests with a fake.
 */
public interface Testbed {

    /** The VM's vCPU count. */
    int vcpus();

    /** Starts a workload in the VM (restarting it when it runs) and lets it warm up. */
    void startWorkload(String workload);

    /** Stops a workload and removes what it left in the VM. */
    void stopWorkload(String workload);

    /** Measures the workload's rate for {@code window} with no introspection at all. */
    Window baseline(String workload, Duration window);

    /**
     * Starts the actions, waits {@code warmUp}, measures the workload's rate for {@code window} while
     * they run, then stops them (no breakpoint stays in the VM).
     */
    Window monitored(String workload, List<String> actions, Duration warmUp, Duration window);
}
