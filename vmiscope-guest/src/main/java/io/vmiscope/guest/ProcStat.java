package io.vmiscope.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Host processes through Linux's {@code /proc}: liveness (a zombie is dead), start time in clock
 * ticks since boot (with the pid, an identity that survives pid reuse), the command line, and
 * terminating a process that is verifiably ours. Every query answers "unknown" as empty rather than
 * throwing: the process may vanish at any time.
 */
final class ProcStat {

    private ProcStat() {
    }

    /** Field 22 of {@code /proc/PID/stat}: start time in clock ticks after boot. */
    static OptionalLong startTicks(long pid) {
        return statFields(pid).map(f -> OptionalLong.of(Long.parseLong(f[19]))).orElse(OptionalLong.empty());
    }

    /** True when the process exists and has not exited (zombies count as gone). */
    static boolean isRunning(long pid) {
        return statFields(pid).map(f -> !f[0].equals("Z") && !f[0].equals("X")).orElse(false);
    }

    /** True when {@code pid} runs and started at {@code startTicks}: the same process, not a reused pid. */
    static boolean isSameProcessRunning(long pid, long startTicks) {
        OptionalLong ticks = startTicks(pid);
        return ticks.isPresent() && ticks.getAsLong() == startTicks && isRunning(pid);
    }

    /** The command line with NULs read as spaces, empty when the process is gone. */
    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** This boot's random id, which changes on every host boot. */
    static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException e) {
            return "unknown-boot";
        }
    }

    /** The fields after {@code (comm)}: index 0 is the state, index 19 the start time. */
    private static Optional<String[]> statFields(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            if (close < 0) {
                return Optional.empty();
            }
            String[] fields = stat.substring(close + 1).strip().split(" ");
            return fields.length > 19 ? Optional.of(fields) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Polls until the process is gone; true when it is gone before the timeout. */
    static boolean awaitExit(long pid, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (isRunning(pid)) {
            if (!Instant.now().isBefore(deadline)) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isRunning(pid);
            }
        }
        return true;
    }

    /**
     * SIGTERM, then SIGKILL after {@code grace}, to {@code pid} — only while its command line contains
     * {@code marker}, so a reused pid is never hit.
     *
     * @return true when no process of ours has that pid afterwards
     */
    static boolean terminate(long pid, String marker, Duration grace) {
        if (!isOurs(pid, marker)) {
            return true;
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        if (awaitExit(pid, grace)) {
            return true;
        }
        if (isOurs(pid, marker)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        return awaitExit(pid, Duration.ofSeconds(5));
    }

    private static boolean isOurs(long pid, String marker) {
        return isRunning(pid) && commandLine(pid).contains(marker);
    }
}
