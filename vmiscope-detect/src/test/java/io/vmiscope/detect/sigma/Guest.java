package io.vmiscope.detect.sigma;

import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallArgument;
import io.vmiscope.events.SyscallEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Events shaped as the demo guest's monitor emits them (docs/events.md), and a way to run rules over them. */
final class Guest {

    static final long T0 = 1_764_000_000_000_000_000L;
    static final String VM = "demo";

    private Guest() {
    }

    static long at(double seconds) {
        return T0 + Math.round(seconds * 1e9);
    }

    static ProcessRef proc(int pid, int ppid, long uid, String comm) {
        return new ProcessRef(pid, pid, ppid, uid, comm);
    }

    static ForkEvent fork(double t, int parentPid, String parentComm, int childPid) {
        return new ForkEvent(at(t), VM, "procevents", proc(parentPid, 1, 0, parentComm), childPid, childPid, false);
    }

    /** An exec as procevents reports it: the caller's pid and task name (before the exec), path and argv. */
    static ExecEvent exec(double t, int pid, int ppid, long uid, String comm, String path, String... argv) {
        return new ExecEvent(at(t), VM, "procevents", proc(pid, ppid, uid, comm), path, List.of(argv), true);
    }

    static FileEvent file(double t, int pid, long uid, String comm, String operation, String path, String detail) {
        return new FileEvent(at(t), VM, "files", proc(pid, 1, uid, comm), operation, path, null, detail,
                operation.equals("open") ? "openat" : operation);
    }

    static NetworkEvent connect(double t, int pid, String comm, String address) {
        return new NetworkEvent(at(t), VM, "network", proc(pid, 1, 0, comm), "connect", address, 3, "connect");
    }

    static SyscallEvent syscall(double t, int pid, long uid, String comm, String name, long... raw) {
        List<SyscallArgument> args = new ArrayList<>();
        for (int i = 0; i < raw.length; i++) {
            args.add(new SyscallArgument("a" + i, "INT", raw[i], Long.toString(raw[i]), false, false));
        }
        return new SyscallEvent(at(t), VM, "syscalls:" + name, proc(pid, 1, uid, comm), name, -1, args, "0", "x64");
    }

    /** Rules from YAML text (one file). */
    static RuleSet rules(Path dir, String yaml) {
        try {
            Path file = Files.createTempFile(dir, "rule", ".yml");
            Files.writeString(file, yaml);
            return RuleLoader.load(List.of(file), false, Set.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RuleSet defaults() {
        return RuleLoader.load(List.of(), true, Set.of());
    }

    /** Every alert the events raise, fed in order with ids e1, e2, …. */
    static List<AlertEvent> run(RuleSet rules, Event... events) {
        SigmaDetector detector = new SigmaDetector(rules);
        List<AlertEvent> alerts = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            alerts.addAll(detector.accept("e" + (i + 1), events[i]));
        }
        alerts.addAll(detector.finish());
        return alerts;
    }

    /** The titles of the alerts the events raise. */
    static List<String> titles(RuleSet rules, Event... events) {
        return run(rules, events).stream().map(AlertEvent::title).toList();
    }

    static List<Event> list(Event... events) {
        return Arrays.asList(events);
    }
}
