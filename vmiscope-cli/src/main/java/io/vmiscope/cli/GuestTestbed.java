package io.vmiscope.cli;

import io.vmiscope.overhead.experiment.Testbed;
import io.vmiscope.overhead.experiment.Window;
import io.vmiscope.overhead.workload.Rate;
import io.vmiscope.overhead.workload.Workload;
import io.vmiscope.overhead.workload.WorkloadGuest;
import io.vmiscope.overhead.workload.Workloads;

import java.time.Duration;
import java.util.List;

/**
 * An overhead experiment's testbed on a VM vmiscope booted: workloads through its test console and
 * forwarded web port, actions through an attached session. Baselines run with the debugger attached
 * but idle (the VM runs freely: no breakpoint, no monitor loop pausing it).
 */
final class GuestTestbed implements Testbed {

    /** Lets a freshly started workload reach its steady rate before the first window. */
    static final Duration WORKLOAD_WARM_UP = Duration.ofSeconds(2);

    private final TargetOptions.Session session;
    private final WorkloadGuest guest;
    private final int vcpus;

    GuestTestbed(TargetOptions.Session session, WorkloadGuest guest, int vcpus) {
        this.session = session;
        this.guest = guest;
        this.vcpus = vcpus;
    }

    @Override
    public int vcpus() {
        return vcpus;
    }

    @Override
    public void startWorkload(String workload) {
        Workloads.byName(workload).start(guest);
        try {
            Thread.sleep(WORKLOAD_WARM_UP.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stopWorkload(String workload) {
        Workloads.byName(workload).stop(guest);
    }

    @Override
    public Window baseline(String workload, Duration window) {
        Rate rate = Workloads.byName(workload).measure(guest, window);
        return Window.unmonitored(rate.opsPerSecond(), rate.wallSeconds());
    }

    @Override
    public Window monitored(String workload, List<String> actions, Duration warmUp, Duration window) {
        Workload w = Workloads.byName(workload);
        MonitoredWindow.Result<Rate> r = MonitoredWindow.run(session, actions, warmUp, () -> w.measure(guest, window));
        return new Window(r.measured().opsPerSecond(), r.measured().wallSeconds(), r.actions(), r.stopsBySite(),
                r.stoppedSeconds(), r.costs());
    }
}
