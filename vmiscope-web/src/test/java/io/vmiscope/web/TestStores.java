package io.vmiscope.web;

import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallEvent;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.Importer;
import io.vmiscope.store.StoreOptions;
import io.vmiscope.store.imports.ImportFormat;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stores for the web tests, written through the real store: a Linux VM whose processes include hostile names
 * (HTML and control characters), a DRAKVUF (Windows) log imported from the importer's own fixture, and, for
 * the performance test, a VM with thousands of processes and a million events.
 */
final class TestStores {

    static final String LINUX = "linux-lab";
    static final String WINDOWS = "win7";
    static final String HTML_NAME = "<img src=x onerror=alert(1)>";
    static final String CONTROL_NAME = "red\u001b[31m\u0007bell";
    static final long START = 1_764_151_200_000_000_000L;
    static final Path DRAKVUF_LOG = Path.of("..", "vmiscope-store", "src", "test", "resources", "imports",
            "drakmon-windows.jsonl");

    private TestStores() {
    }

    /** The Linux lab VM and the imported DRAKVUF log in one new store at {@code file}. */
    static DuckDbEventStore lab(Path file) {
        DuckDbEventStore store = DuckDbEventStore.open(file, StoreOptions.defaults());
        linuxLab(store::accept);
        store.flush();
        new Importer(store, Importer.DEFAULT_BATCH_SIZE, new Importer.Listener() { })
                .run(ImportFormat.DRAKVUF.reader(), List.of(DRAKVUF_LOG), WINDOWS);
        return store;
    }

    /**
     * init (1) → sh (100) → httpd (120) serving files and a socket; sh also starts a process with an HTML name
     * (pid 130) and one with control characters (pid 140), which both exit.
     */
    static void linuxLab(Consumer<Event> sink) {
        ProcessRef init = new ProcessRef(1, 1, 0, 0, "init");
        ProcessRef sh = new ProcessRef(100, 100, 1, 0, "sh");
        ProcessRef httpd = new ProcessRef(120, 120, 100, 33, "httpd");
        ProcessRef html = new ProcessRef(130, 130, 100, 0, HTML_NAME.substring(0, 15));
        ProcessRef control = new ProcessRef(140, 140, 100, 0, CONTROL_NAME);
        long t = START;
        sink.accept(new ExecEvent(t, LINUX, "procevents", init, "/sbin/init", List.of("/sbin/init"), true));
        sink.accept(new ForkEvent(t += ms(10), LINUX, "procevents", init, 100, 100, false));
        sink.accept(new ExecEvent(t += ms(10), LINUX, "procevents", sh, "/bin/sh", List.of("sh", "-c", "start"), true));
        sink.accept(new ForkEvent(t += ms(10), LINUX, "procevents", sh, 120, 120, false));
        sink.accept(new ExecEvent(t += ms(10), LINUX, "procevents", httpd, "/usr/sbin/httpd",
                List.of("httpd", "-p", "80"), true));
        for (int i = 0; i < 40; i++) {
            sink.accept(new FileEvent(t += ms(50), LINUX, "syscalls:file", httpd, "open", "/www/page" + (i % 12) + ".html",
                    null, "O_RDONLY", "openat"));
            sink.accept(new NetworkEvent(t += ms(5), LINUX, "network", httpd, "accept", "10.0.2.2:" + (40000 + i), 3,
                    "accept4"));
            sink.accept(new SyscallEvent(t += ms(5), LINUX, "syscalls:file", httpd, "read", 0, List.of(), "512", "x86_64"));
        }
        sink.accept(new FileEvent(t += ms(10), LINUX, "syscalls:file", httpd, "write", "/var/log/httpd.log", null,
                "O_WRONLY", "write"));
        sink.accept(new ForkEvent(t += ms(10), LINUX, "procevents", sh, 130, 130, false));
        sink.accept(new ExecEvent(t += ms(10), LINUX, "procevents", html, "/tmp/" + HTML_NAME,
                List.of("/tmp/" + HTML_NAME, "--evil"), true));
        sink.accept(new FileEvent(t += ms(10), LINUX, "syscalls:file", html, "open", "/etc/" + HTML_NAME, null,
                "O_RDONLY", "openat"));
        sink.accept(new ExitEvent(t += ms(10), LINUX, "procevents", html, 0, 0, false));
        sink.accept(new ForkEvent(t += ms(10), LINUX, "procevents", sh, 140, 140, false));
        sink.accept(new ExecEvent(t += ms(10), LINUX, "procevents", control, "/tmp/" + CONTROL_NAME,
                List.of(CONTROL_NAME), true));
        sink.accept(new ExitEvent(t += ms(10), LINUX, "procevents", control, 1, 0, false));
    }

    /**
     * A VM of {@code processes} processes (a forking shell's children, each with an exec and an exit) and
     * {@code events} events in all, the rest system calls spread over the processes over ten minutes.
     */
    static void large(Consumer<Event> sink, String vm, int processes, int events) {
        ProcessRef init = new ProcessRef(1, 1, 0, 0, "init");
        sink.accept(new ExecEvent(START, vm, "procevents", init, "/sbin/init", List.of("/sbin/init"), true));
        long span = 600_000_000_000L;
        int exits = processes - (processes + 2) / 3;
        int syscalls = Math.max(0, events - 1 - 2 * processes - exits);
        String[] calls = {"read", "write", "openat", "close", "mmap", "futex", "connect", "fstat"};
        for (int p = 0; p < processes; p++) {
            int pid = 1000 + p;
            long born = START + 1_000_000 + (span / processes) * p;
            ProcessRef parent = new ProcessRef(p < 50 ? 1 : 1000 + p % 50, 0, 0, 0, p < 50 ? "init" : "worker");
            ProcessRef self = new ProcessRef(pid, pid, parent.pid(), 1000, "worker-" + p);
            sink.accept(new ForkEvent(born, vm, "procevents", parent, pid, pid, false));
            sink.accept(new ExecEvent(born + 1000, vm, "procevents", self, "/usr/bin/worker",
                    List.of("worker", "--id", Integer.toString(p)), true));
            int perProcess = syscalls / processes + (p < syscalls % processes ? 1 : 0);
            for (int i = 0; i < perProcess; i++) {
                sink.accept(new SyscallEvent(born + 2000 + i * 10_000L, vm, "syscalls:all", self, calls[i % calls.length],
                        i % calls.length, List.of(), "0", "x86_64"));
            }
            if (p % 3 != 0) {
                sink.accept(new ExitEvent(born + 2000 + perProcess * 10_000L + 1000, vm, "procevents", self, 0, 0, false));
            }
        }
    }

    private static long ms(int millis) {
        return millis * 1_000_000L;
    }
}
