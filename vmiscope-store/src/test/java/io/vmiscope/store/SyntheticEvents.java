package io.vmiscope.store;

import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallArgument;
import io.vmiscope.events.SyscallEvent;

import java.util.List;

/** Deterministic, distinct events for tests: event {@code i} of VM {@code vm} at {@code startNanos + i µs}. */
final class SyntheticEvents {

    static final String[] KINDS = {"syscall", "file", "exec", "network"};

    private SyntheticEvents() {
    }

    static Event event(String vm, long startNanos, int i) {
        long time = startNanos + i * 1_000L;
        ProcessRef process = new ProcessRef(100 + i % 50, 100 + i % 50, 1, 0, "proc" + i % 7);
        return switch (i % 4) {
            case 0 -> new SyscallEvent(time, vm, "syscalls:openat", process, "openat", 257,
                    List.of(new SyscallArgument("filename", "PATH", 140737488346320L, "\"/tmp/f" + i + "\"", false, false)),
                    "3");
            case 1 -> new FileEvent(time, vm, "syscalls:file", process, "open", "/etc/file" + i, null, "O_RDONLY",
                    "openat");
            case 2 -> new ExecEvent(time, vm, "procevents", process, "/bin/prog" + i, List.of("prog", "-n", "" + i),
                    true);
            default -> new NetworkEvent(time, vm, "syscalls:network", process, "connect", "127.0.0.1:" + i % 65536,
                    3, "connect");
        };
    }
}
