package io.vmiscope.detect.sigma;

import io.vmiscope.detect.ImagePaths;
import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.ImportedEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.ProcessSnapshotEvent;
import io.vmiscope.events.SyscallArgument;
import io.vmiscope.events.SyscallEvent;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.vmiscope.detect.sigma.SigmaField.*;

/**
 * vmiscope events to Sigma's logsources and fields — the table of docs/detection.md. Process events also keep the
 * {@link ProcessTable} up to date (forks, execs, exits and snapshots are seen whether or not a rule reads them).
 * Not thread-safe: one per detector.
 */
final class EventMapper {

    static final String PROCESS_CREATION = "process_creation";
    static final String FILE_EVENT = "file_event";
    static final String FILE_ACCESS = "file_access";
    static final String FILE_DELETE = "file_delete";
    static final String FILE_CHANGE = "file_change";
    static final String NETWORK_CONNECTION = "network_connection";
    static final String DNS_QUERY = "dns_query";
    static final String PROCESS_MEMORY = "process_memory";
    static final String CREATE_REMOTE_THREAD = "create_remote_thread";

    /** The fields each logsource fills (some may still be absent in one event: a value vmiscope did not see). */
    static final Map<Logsource, Set<SigmaField>> PROVIDED = provided();

    /** Windows' pseudo-handle of the calling process, as DRAKVUF prints it. */
    private static final Set<String> CURRENT_PROCESS = Set.of("0xffffffffffffffff", "-1", "0xffffffff");

    private final ProcessTable processes;

    EventMapper(ProcessTable processes) {
        this.processes = processes;
    }

    private static Map<Logsource, Set<SigmaField>> provided() {
        Map<Logsource, Set<SigmaField>> m = new HashMap<>();
        Set<SigmaField> actor = EnumSet.of(IMAGE, PROCESS_ID, USER);
        for (String product : new String[] {Logsource.LINUX, Logsource.WINDOWS}) {
            m.put(new Logsource(product, PROCESS_CREATION), EnumSet.of(IMAGE, COMMAND_LINE, PARENT_IMAGE,
                    PARENT_COMMAND_LINE, GRAND_PARENT_IMAGE, USER, PROCESS_ID, PARENT_PROCESS_ID));
            for (String files : new String[] {FILE_EVENT, FILE_ACCESS, FILE_DELETE, FILE_CHANGE}) {
                Set<SigmaField> f = EnumSet.copyOf(actor);
                f.addAll(EnumSet.of(TARGET_FILENAME, SOURCE_FILENAME, OPERATION, FLAGS));
                m.put(new Logsource(product, files), f);
            }
            Set<SigmaField> net = EnumSet.copyOf(actor);
            net.addAll(EnumSet.of(INITIATED, DESTINATION_IP, DESTINATION_PORT, SOURCE_IP, SOURCE_PORT));
            m.put(new Logsource(product, NETWORK_CONNECTION), net);
        }
        m.put(new Logsource(Logsource.LINUX, Logsource.AUDITD), EnumSet.of(TYPE, SYSCALL, EXE, COMM, UID, A0, A1, A2,
                A3, SUCCESS, EXIT, PROCESS_ID));
        Set<SigmaField> dns = EnumSet.copyOf(actor);
        dns.add(QUERY_NAME);
        m.put(new Logsource(Logsource.WINDOWS, DNS_QUERY), dns);
        Set<SigmaField> remote = EnumSet.of(SOURCE_IMAGE, SOURCE_PROCESS_ID, TARGET_PROCESS_ID, OPERATION);
        m.put(new Logsource(Logsource.WINDOWS, PROCESS_MEMORY), remote);
        m.put(new Logsource(Logsource.WINDOWS, CREATE_REMOTE_THREAD), EnumSet.copyOf(remote));
        return Map.copyOf(m);
    }

    /**
     * Fills {@code out} with the Sigma view of {@code event}.
     *
     * @return false when no Sigma logsource covers the event (it may still have updated the process table)
     */
    boolean map(String eventId, Event event, SigmaEvent out) {
        if (event instanceof ExecEvent e) {
            return exec(eventId, e, out);
        } else if (event instanceof FileEvent e) {
            return file(eventId, e, out);
        } else if (event instanceof NetworkEvent e) {
            return network(eventId, e, out);
        } else if (event instanceof SyscallEvent e) {
            return syscall(eventId, e, out);
        } else if (event instanceof ImportedEvent e) {
            return imported(eventId, e, out);
        } else if (event instanceof ForkEvent e) {
            processes.fork(e);
        } else if (event instanceof ExitEvent e) {
            if (!e.thread()) {
                processes.exit(e.process().pid());
            }
        } else if (event instanceof ProcessSnapshotEvent e) {
            processes.snapshot(e);
        }
        return false;
    }

    private boolean exec(String id, ExecEvent e, SigmaEvent out) {
        boolean windows = isWindowsPath(e.path());
        String image = windows ? e.path() : ImagePaths.image(e.path(), e.argv(), image(e.process()));
        String commandLine = windows ? String.join(" ", e.argv()) : ImagePaths.commandLine(e.path(), e.argv());
        ProcessTable.Info now = processes.exec(e, image, commandLine);
        ProcessRef p = e.process();
        out.reset(new Logsource(windows ? Logsource.WINDOWS : Logsource.LINUX, PROCESS_CREATION), id);
        out.set(IMAGE, image);
        out.set(COMMAND_LINE, commandLine);
        out.set(PARENT_IMAGE, now.parentImage());
        out.set(PARENT_COMMAND_LINE, now.parentCommandLine());
        out.set(GRAND_PARENT_IMAGE, now.grandParentImage());
        out.set(PROCESS_ID, number(p.pid()));
        out.set(PARENT_PROCESS_ID, number(p.ppid()));
        if (!windows) {
            out.set(USER, user(p.uid()));
        }
        return true;
    }

    private boolean file(String id, FileEvent e, SigmaEvent out) {
        String operation = e.operation() == null ? "" : e.operation();
        boolean windows = isWindowsPath(e.path());
        String category = fileCategory(operation, e.detail() == null ? "" : e.detail(), windows);
        out.reset(new Logsource(windows ? Logsource.WINDOWS : Logsource.LINUX, category), id);
        actor(e.process(), out, windows);
        boolean rename = operation.equals("rename");
        out.set(TARGET_FILENAME, rename && e.target() != null ? e.target() : e.path());
        out.set(SOURCE_FILENAME, rename ? e.path() : null);
        out.set(OPERATION, operation);
        out.set(FLAGS, e.detail());
        return true;
    }

    /** Linux operations (docs/events.md) and DRAKVUF's filetracer operations (FILE_OPEN, FILE_CREATE, …). */
    private static String fileCategory(String operation, String detail, boolean windows) {
        String op = operation.toLowerCase(Locale.ROOT);
        return switch (op) {
            case "unlink", "rmdir", "delete" -> FILE_DELETE;
            case "chmod", "chown" -> FILE_CHANGE;
            case "open" -> detail.contains("O_WRONLY") || detail.contains("O_RDWR") || detail.contains("O_CREAT")
                    || detail.contains("O_TRUNC") ? FILE_EVENT : FILE_ACCESS;
            case "create", "write", "truncate", "mkdir", "link", "symlink", "rename" -> FILE_EVENT;
            default -> windows && (op.contains("create") || op.contains("overwrite") || op.contains("supersede"))
                    ? FILE_EVENT : op.contains("delete") ? FILE_DELETE : FILE_ACCESS;
        };
    }

    private boolean network(String id, NetworkEvent e, SigmaEvent out) {
        String op = e.operation() == null ? "" : e.operation();
        boolean windows = e.action() != null && e.action().startsWith("drakvuf") && isWindowsPath(image(e.process()));
        String address = e.address() == null ? "" : e.address();
        if (op.equals("dns")) {
            out.reset(new Logsource(Logsource.WINDOWS, DNS_QUERY), id);
            actor(e.process(), out, true);
            out.set(QUERY_NAME, address);
            return true;
        }
        boolean accepted = op.equals("accept");
        boolean connected = op.equals("connect") || op.toLowerCase(Locale.ROOT).contains("connect");
        if (!accepted && !connected) {
            return false;
        }
        out.reset(new Logsource(windows ? Logsource.WINDOWS : Logsource.LINUX, NETWORK_CONNECTION), id);
        actor(e.process(), out, windows);
        out.set(INITIATED, connected ? "true" : "false");
        if (accepted) {
            int arrow = address.indexOf(" -> ");
            String peer = arrow < 0 ? address : address.substring(0, arrow);
            String local = arrow < 0 ? "" : address.substring(arrow + 4);
            endpoint(peer, SOURCE_IP, SOURCE_PORT, out);
            endpoint(local, DESTINATION_IP, DESTINATION_PORT, out);
        } else {
            endpoint(address, DESTINATION_IP, DESTINATION_PORT, out);
        }
        return true;
    }

    /** {@code 1.2.3.4:80} or {@code [::1]:22} into ip and port; a unix path or a bare name fills nothing. */
    private static void endpoint(String address, SigmaField ip, SigmaField port, SigmaEvent out) {
        if (address.startsWith("[")) {
            int close = address.indexOf("]:");
            if (close > 0) {
                out.set(ip, address.substring(1, close));
                out.set(port, address.substring(close + 2));
            }
            return;
        }
        int colon = address.lastIndexOf(':');
        if (colon > 0 && address.indexOf(':') == colon && Character.isDigit(address.charAt(0))) {
            out.set(ip, address.substring(0, colon));
            out.set(port, address.substring(colon + 1));
        }
    }

    private boolean syscall(String id, SyscallEvent e, SigmaEvent out) {
        String name = e.name() == null ? "" : e.name();
        if (name.startsWith("Nt") || name.startsWith("Zw")) {
            return windowsSyscall(id, e, name.substring(2), out);
        }
        ProcessRef p = e.process();
        out.reset(new Logsource(Logsource.LINUX, Logsource.AUDITD), id);
        out.set(TYPE, "SYSCALL");
        out.set(SYSCALL, name);
        out.set(EXE, image(p));
        out.set(COMM, p.name());
        out.set(UID, number(p.uid()));
        out.set(PROCESS_ID, number(p.pid()));
        SigmaField[] registers = {A0, A1, A2, A3};
        for (int i = 0; i < registers.length && i < e.arguments().size(); i++) {
            out.set(registers[i], Long.toHexString(e.arguments().get(i).raw()));
        }
        if (e.result() != null && !e.result().isBlank()) {
            String exit = e.result().strip().split(" ", 2)[0];
            out.set(EXIT, exit);
            out.set(SUCCESS, exit.startsWith("-") ? "no" : "yes");
        }
        return true;
    }

    /** NtWriteVirtualMemory, NtProtectVirtualMemory (executable) and NtCreateThread(Ex) on another process. */
    private boolean windowsSyscall(String id, SyscallEvent e, String call, SigmaEvent out) {
        String handle = argument(e, "ProcessHandle");
        if (handle == null || CURRENT_PROCESS.contains(handle.toLowerCase(Locale.ROOT))) {
            return false;
        }
        String operation;
        String category = PROCESS_MEMORY;
        if (call.equals("WriteVirtualMemory")) {
            operation = "write";
        } else if (call.equals("ProtectVirtualMemory") && executable(e)) {
            operation = "protect_executable";
        } else if (call.equals("CreateThreadEx") || call.equals("CreateThread")) {
            operation = "create_thread";
            category = CREATE_REMOTE_THREAD;
        } else {
            return false;
        }
        remote(id, category, operation, e.process(), null, out);
        return true;
    }

    /** A DRAKVUF memdump of memory written into another process, or apimon's CreateRemoteThread(Ex). */
    private boolean imported(String id, ImportedEvent e, SigmaEvent out) {
        String method = e.method() == null ? "" : e.method();
        if (e.source().equalsIgnoreCase("memdump") && method.equals("NtWriteVirtualMemory")) {
            Object target = e.attributes().get("TargetPID");
            String targetPid = target == null ? null : String.valueOf(target);
            if (targetPid == null || targetPid.equals(number(e.process().pid()))) {
                return false;
            }
            remote(id, PROCESS_MEMORY, "write", e.process(), targetPid, out);
            return true;
        }
        if (e.source().equalsIgnoreCase("apimon") && method.startsWith("CreateRemoteThread")) {
            remote(id, CREATE_REMOTE_THREAD, "create_thread", e.process(), null, out);
            return true;
        }
        return false;
    }

    private void remote(String id, String category, String operation, ProcessRef source, String targetPid,
                        SigmaEvent out) {
        out.reset(new Logsource(Logsource.WINDOWS, category), id);
        out.set(OPERATION, operation);
        out.set(SOURCE_IMAGE, image(source));
        out.set(SOURCE_PROCESS_ID, number(source.pid()));
        out.set(TARGET_PROCESS_ID, targetPid);
    }

    /** A new protection with an execute bit (PAGE_EXECUTE* are 0x10–0x80). */
    private static boolean executable(SyscallEvent e) {
        for (SyscallArgument a : e.arguments()) {
            String n = a.name() == null ? "" : a.name();
            if (n.contains("Protect") && !n.startsWith("Old")) {
                try {
                    String t = a.text().strip().toLowerCase(Locale.ROOT);
                    long v = t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
                    return (v & 0xF0) != 0;
                } catch (NumberFormatException notANumber) {
                    return false;
                }
            }
        }
        return false;
    }

    private static String argument(SyscallEvent e, String name) {
        for (SyscallArgument a : e.arguments()) {
            if (name.equals(a.name())) {
                return a.text() == null ? null : a.text().strip();
            }
        }
        return null;
    }

    private void actor(ProcessRef p, SigmaEvent out, boolean windows) {
        out.set(IMAGE, image(p));
        out.set(PROCESS_ID, number(p.pid()));
        if (!windows) {
            out.set(USER, user(p.uid()));
        }
    }

    /** The program the process runs: from its exec, else its snapshot's argv, else its task name. */
    private String image(ProcessRef p) {
        ProcessTable.Info info = processes.get(p.pid());
        return info != null && info.image() != null ? info.image() : p.name();
    }

    /** uid 0 is {@code root}; other uids stay numbers (the guest's user names are not read). */
    private static String user(long uid) {
        return uid < 0 ? null : uid == 0 ? "root" : Long.toString(uid);
    }

    private static String number(long n) {
        return n < 0 ? null : Long.toString(n);
    }

    private static boolean isWindowsPath(String path) {
        return path != null && (path.indexOf('\\') >= 0 || (path.length() > 1 && path.charAt(1) == ':'));
    }
}
