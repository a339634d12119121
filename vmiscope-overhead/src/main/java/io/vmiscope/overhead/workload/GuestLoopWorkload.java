package io.vmiscope.overhead.workload;

import java.time.Duration;
import java.util.Objects;

/**
 * A workload that runs in the guest as a busybox {@code sh} loop, started in the background through
 * the {@link GuestShell}. The loop does its operations in batches and after each batch writes the
 * number of operations done so far to its counter file (how {@link #start} knows it runs) and to the
 * guest's first serial port, which {@link CounterMeter} follows from the host.
 *
 * <p>Its files, under {@value Workloads#GUEST_DIRECTORY} (tmpfs): {@code NAME.sh} the loop,
 * {@code NAME.pid} the loop's pid (which is also its process group: it runs under {@code setsid}),
 * {@code NAME.count} the counter, {@code NAME.d/} its working files. Stopping kills the whole process
 * group, so no batch's child outlives it, then removes the files.
 */
final class GuestLoopWorkload implements Workload {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final String HERE_DOC_END = "VMISCOPE_WORKLOAD";

    private final String name;
    private final String operation;
    private final String setup;
    private final String batch;
    private final int opsPerBatch;
    private final CounterMeter meter;

    /**
     * @param name        the workload's name, also its files' names
     * @param operation   what one operation is
     * @param setup       shell commands run once before the loop; may use {@code $w}, the working directory
     * @param batch       shell commands doing {@code opsPerBatch} operations; may use {@code $w} and the
     *                    setup's variables; a failing command ends the workload
     * @param opsPerBatch operations per batch: the counter's step
     */
    GuestLoopWorkload(String name, String operation, String setup, String batch, int opsPerBatch) {
        if (!name.matches("[a-z]+")) {
            throw new IllegalArgumentException("a workload name is lower-case letters, was '" + name + "'");
        }
        if (opsPerBatch < 1) {
            throw new IllegalArgumentException("a batch needs at least one operation, was " + opsPerBatch);
        }
        this.name = name;
        this.operation = Objects.requireNonNull(operation, "operation");
        this.setup = Objects.requireNonNull(setup, "setup");
        this.batch = Objects.requireNonNull(batch, "batch");
        this.opsPerBatch = opsPerBatch;
        this.meter = new CounterMeter(name, System::nanoTime);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String operation() {
        return operation;
    }

    @Override
    public void start(WorkloadGuest guest) {
        guest.shell().run(startCommand(), START_TIMEOUT);
    }

    @Override
    public void stop(WorkloadGuest guest) {
        guest.shell().run(removeRunning() + "\nrmdir " + Workloads.GUEST_DIRECTORY + " 2>/dev/null\nexit 0", STOP_TIMEOUT);
    }

    @Override
    public Rate measure(WorkloadGuest guest, Duration window) {
        return meter.measure(guest.serialLog(), window);
    }

    @Override
    public ProgressProbe probe(WorkloadGuest guest) {
        return new CounterProbe(new CounterFollower(name, guest.serialLog(), System::nanoTime), Double.NaN, System::nanoTime);
    }

    /**
     * Restarts the loop in a new session (so its pid is its process group) detached from the shell,
     * and returns once the loop has done its setup and written its first count.
     */
    String startCommand() {
        return String.join("\n",
                removeRunning(),
                "mkdir -p " + file(".d"),
                "cat >" + file(".sh") + " <<'" + HERE_DOC_END + "'",
                loopScript(),
                HERE_DOC_END,
                "setsid sh " + file(".sh") + " </dev/null >/dev/null 2>&1 &",
                "i=0; until [ -s " + file(".count") + " ]; do i=$((i+1)); if [ $i -ge 500 ]; then "
                        + "echo \"workload " + name + " did not start within 5 s\"; exit 3; fi; sleep 0.01; done");
    }

    /** The loop as it runs in the guest; it writes its pid first, so that it can always be stopped. */
    String loopScript() {
        return String.join("\n",
                "set -e",
                "echo $$ >" + file(".pid"),
                "w=" + file(".d"),
                setup,
                "count=0",
                "echo $count >" + file(".count"),
                "while :; do",
                batch,
                "count=$((count + " + opsPerBatch + ")); echo $count >" + file(".count"),
                CounterFollower.reportCommand(name),
                "done");
    }

    /** Kills the loop's process group, waits until it is gone, and removes the workload's files. */
    private String removeRunning() {
        return String.join("\n",
                "if read -r pg 2>/dev/null <" + file(".pid") + " && [ \"$pg\" -gt 1 ] 2>/dev/null; then",
                "kill -KILL -$pg 2>/dev/null", // not "kill -s KILL -PG": dash (the Debian guest's sh) reads -PG as options
                "i=0; while kill -0 -$pg 2>/dev/null; do i=$((i+1)); if [ $i -ge 500 ]; then "
                        + "echo \"workload " + name + " (process group $pg) survives SIGKILL\"; exit 3; fi; sleep 0.01; done",
                "fi",
                "rm -rf " + file(".sh") + " " + file(".pid") + " " + file(".count") + " " + file(".d"));
    }

    private String file(String suffix) {
        return Workloads.GUEST_DIRECTORY + "/" + name + suffix;
    }
}
