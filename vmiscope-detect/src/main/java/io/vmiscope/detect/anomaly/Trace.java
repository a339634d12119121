package io.vmiscope.detect.anomaly;

import java.util.Objects;

/**
 * One process's syscalls, in order.
 *
 * @param program  the executable it ran (a model's key), or {@link AnomalyModel#ANY_PROGRAM}
 * @param path     where it came from, for people and score files: a file, {@code file#pid}, or a store's pid
 * @param syscalls the syscall numbers (see {@link Syscalls})
 */
public record Trace(String program, String path, int[] syscalls) {
    public Trace {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(syscalls, "syscalls");
    }
}
