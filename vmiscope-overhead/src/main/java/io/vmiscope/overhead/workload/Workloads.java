package io.vmiscope.overhead.workload;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The catalogue of workloads, by name: {@code web}, {@code syscalls}, {@code forkexec}, {@code fileio},
 * {@code cpu}. Each operation is a fixed amount of work; the guest-side ones run in batches, each
 * reported by one counter line: small enough that a workload slowed fifty-fold by breakpoint stops
 * still reports several lines in a window, large enough that the lines (and starting a batch's
 * process) are a small part of the work — 10 to 150 lines a second unmonitored on a 1-vCPU TCG guest.
 */
public final class Workloads {

    /** Where guest-side workloads keep their files (tmpfs in the demo guest). */
    public static final String GUEST_DIRECTORY = "/tmp/vmiscope-wl";

    private static final List<Workload> ALL = List.of(
            new WebWorkload(),
            // dd in 1-byte blocks makes the cheapest system calls there are; one dd per 50,000 pairs
            // keeps its fork (a millisecond or two) near 1% of the batch.
            new GuestLoopWorkload("syscalls",
                    "one 1-byte read(2) of /dev/zero and one 1-byte write(2) to /dev/null (busybox dd bs=1)",
                    "",
                    "dd if=/dev/zero of=/dev/null bs=1 count=50000 2>/dev/null",
                    50_000),
            // The absolute path makes busybox sh fork and execve() the applet; a bare "true" would be
            // a shell builtin, run without a new process.
            new GuestLoopWorkload("forkexec",
                    "fork, execve of /bin/true (a busybox applet) and wait for its exit",
                    "",
                    "i=0; while [ $i -lt 10 ]; do /bin/true; i=$((i+1)); done",
                    10),
            // One tee writes all 32 files of a batch, one cat reads them, one rm deletes them: three
            // processes per 32 operations.
            new GuestLoopWorkload("fileio",
                    "create and write a 16 KiB file in tmpfs, read it back, delete it",
                    "dd if=/dev/zero of=$w/block bs=16384 count=1 2>/dev/null\n"
                            + "files=; i=0; while [ $i -lt 32 ]; do files=\"$files $w/f$i\"; i=$((i+1)); done",
                    "tee $files <$w/block >/dev/null; cat $files >/dev/null; rm $files",
                    32),
            // sha256sum hashes every file it is given in one process, so one process does a batch
            // (an awk loop would not be hashing); reading the cached block is a few system calls
            // next to the hashing of 16 KiB.
            new GuestLoopWorkload("cpu",
                    "SHA-256 of a 16 KiB block (busybox sha256sum, the block cached in tmpfs)",
                    "dd if=/dev/urandom of=$w/block bs=16384 count=1 2>/dev/null\n"
                            + "blocks=; i=0; while [ $i -lt 256 ]; do blocks=\"$blocks $w/block\"; i=$((i+1)); done",
                    "sha256sum $blocks >/dev/null",
                    256));

    private Workloads() {
    }

    /** Every workload, in the order above. */
    public static List<Workload> all() {
        return ALL;
    }

    /**
     * The workload of this name.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Workload byName(String name) {
        return ALL.stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown workload '" + name + "'; known: "
                        + ALL.stream().map(Workload::name).collect(Collectors.joining(", "))));
    }
}
