package io.vmiscope.store.imports;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.ImportedEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallArgument;
import io.vmiscope.events.SyscallEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One DRAKVUF record (already parsed, JSON or text) to the canonical events. The table of what maps to
 * what is in {@link DrakvufReader}. Throws {@link RecordException} when a field has the wrong type.
 */
final class DrakvufMapper {

    static final String TOOL = "drakvuf";

    /** include/uapi/linux/sched.h: the new task shares the thread group. */
    private static final long CLONE_THREAD = 0x00010000L;

    /** The common header of every record (both spellings of the time, all user-id variants). */
    private static final Set<String> HEADER = Set.of("Plugin", "TimeStamp", "Time", "PID", "PPID", "TID", "UserName",
            "UserId", "UID", "SessionID", "ProcessName", "Method", "EventUID");

    /** The syscall plugin's own fields that are not arguments. */
    private static final Set<String> SYSCALL_FIELDS = Set.of("Module", "vCPU", "VCPU", "CR3", "Syscall", "NArgs",
            "ThreadName", "Type", "PreviousMode", "FromModule", "FromParentModule", "ReturnValue", "Inlined");

    private static final TypeReference<LinkedHashMap<String, Object>> ATTRIBUTES = new TypeReference<>() {
    };

    private final ObjectMapper json;

    DrakvufMapper(ObjectMapper json) {
        this.json = json;
    }

    /** The record's own process: PID, TID, PPID, the numeric user/session id, ProcessName. */
    static ProcessRef self(JsonNode r) {
        OptionalLong uid = Fields.lenientInteger(r, "UserId");
        if (uid.isEmpty()) {
            uid = Fields.lenientInteger(r, "UID");
        }
        if (uid.isEmpty()) {
            uid = Fields.lenientInteger(r, "SessionID");
        }
        return new ProcessRef(Fields.int32(r, "PID", -1), Fields.int32(r, "TID", -1), Fields.int32(r, "PPID", -1),
                uid.orElse(-1), Fields.text(r, "ProcessName"));
    }

    List<Event> map(JsonNode r, String plugin, long timeNanos, String vm) {
        Context c = new Context(r, plugin, timeNanos, vm, "drakvuf:" + plugin, self(r), Fields.text(r, "Method"));
        return switch (plugin.toLowerCase(Locale.ROOT)) {
            case "syscall" -> List.of(syscall(c, arguments(r), null));
            case "sysret" -> List.of(syscall(c, List.of(), Fields.present(r, "Ret") ? Fields.text(r, "Ret") : null));
            case "procmon" -> procmon(c);
            case "filetracer" -> List.of(new FileEvent(timeNanos, vm, c.action, c.self,
                    Fields.present(r, "Operation") ? Fields.text(r, "Operation") : c.method, Fields.text(r, "FileName"),
                    null, "", c.method));
            case "socketmon" -> List.of(network(c));
            default -> List.of(imported(c));
        };
    }

    private record Context(JsonNode r, String plugin, long time, String vm, String action, ProcessRef self,
                           String method) {
    }

    private static SyscallEvent syscall(Context c, List<SyscallArgument> args, String result) {
        // Newer DRAKVUF: Syscall is the number and Method the name; older logs: Syscall is the name.
        String syscall = Fields.text(c.r, "Syscall");
        OptionalLong number = Fields.lenientInteger(c.r, "Syscall");
        boolean numbered = number.isPresent() && number.getAsLong() >= 0 && number.getAsLong() <= Integer.MAX_VALUE;
        String name = (number.isPresent() && !c.method.isBlank()) || syscall.isBlank() ? c.method : syscall;
        return new SyscallEvent(c.time, c.vm, c.action, c.self, name, numbered ? (int) number.getAsLong() : -1, args,
                result);
    }

    private static List<SyscallArgument> arguments(JsonNode r) {
        List<SyscallArgument> args = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : r.properties()) {
            if (!HEADER.contains(f.getKey()) && !SYSCALL_FIELDS.contains(f.getKey())) {
                args.add(new SyscallArgument(f.getKey(), "raw", 0, Fields.display(f.getValue()), false, false));
            }
        }
        return args;
    }

    private List<Event> procmon(Context c) {
        JsonNode r = c.r;
        String method = c.method;
        if (method.equals("NtCreateUserProcess")) {
            int newPid = Fields.int32(r, "NewPid", -1);
            boolean failed = Fields.lenientInteger(r, "Status").orElse(0) != 0;
            if (newPid < 0 || failed) {
                return List.of(imported(c));
            }
            int newTid = Fields.int32(r, "NewTid", -1);
            String image = Fields.text(r, "ImagePathName");
            ProcessRef child = new ProcessRef(newPid, newTid, c.self.pid(), c.self.uid(), ProcessRef.nameOf(image));
            return List.of(new ForkEvent(c.time, c.vm, c.action, c.self, newPid, newTid, false),
                    new ExecEvent(c.time, c.vm, c.action, child, image, commandLine(r), true));
        }
        if (method.equals("NtTerminateProcess")) {
            int pid = Fields.int32(r, "ExitPid", c.self.pid());
            ProcessRef ended = pid == c.self.pid() ? c.self : new ProcessRef(pid, -1, -1, -1, "");
            return List.of(new ExitEvent(c.time, c.vm, c.action, ended, exitStatus(r), 0, false));
        }
        if (method.equals("do_exit")) {
            boolean thread = c.self.tid() >= 0 && c.self.pid() >= 0 && c.self.tid() != c.self.pid();
            return List.of(new ExitEvent(c.time, c.vm, c.action, c.self, exitStatus(r), 0, thread));
        }
        if (method.equals("kernel_clone")) {
            int newPid = Fields.int32(r, "NewPid", -1);
            if (newPid < 0) {
                return List.of(imported(c));
            }
            boolean thread = (Fields.lenientInteger(r, "Flags").orElse(0) & CLONE_THREAD) != 0;
            return List.of(new ForkEvent(c.time, c.vm, c.action, c.self, thread ? c.self.pid() : newPid, newPid,
                    thread));
        }
        if (method.toLowerCase(Locale.ROOT).contains("exec")) {
            return List.of(new ExecEvent(c.time, c.vm, c.action, c.self, Fields.text(r, "ImagePathName"),
                    commandLine(r), true));
        }
        return List.of(imported(c));
    }

    /** The command line as DRAKVUF gives it: one string, not split (Windows has no argv). */
    private static List<String> commandLine(JsonNode r) {
        return Fields.present(r, "CommandLine") ? List.of(Fields.text(r, "CommandLine")) : List.of();
    }

    /** ExitStatus as a 32-bit value (an NTSTATUS such as 0xC000013A becomes negative), -1 when absent. */
    private static int exitStatus(JsonNode r) {
        return (int) Fields.integer(r, "ExitStatus").orElse(-1);
    }

    private static NetworkEvent network(Context c) {
        JsonNode r = c.r;
        ProcessRef owner = c.self;
        if (Fields.present(r, "OwnerPID") && Fields.int32(r, "OwnerPID", -1) != c.self.pid()) {
            owner = new ProcessRef(Fields.int32(r, "OwnerPID", -1), -1, -1, -1, Fields.text(r, "Owner"));
        }
        boolean dns = Fields.present(r, "DnsName");
        String address;
        if (dns) {
            address = Fields.text(r, "DnsName");
        } else if (Fields.present(r, "RemoteIp")) {
            address = hostPort(Fields.text(r, "RemoteIp"), Fields.text(r, "RemotePort"));
        } else {
            address = hostPort(Fields.text(r, "LocalIp"), Fields.text(r, "LocalPort"));
        }
        String operation = dns ? "dns" : c.method.isBlank() ? "socket" : c.method;
        return new NetworkEvent(c.time, c.vm, c.action, owner, operation, address, -1, c.method);
    }

    private static String hostPort(String ip, String port) {
        if (ip.isEmpty() || port.isEmpty()) {
            return ip;
        }
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }

    private ImportedEvent imported(Context c) {
        Map<String, Object> attributes = json.convertValue(c.r, ATTRIBUTES);
        return new ImportedEvent(c.time, c.vm, c.action, c.self, TOOL, c.plugin, c.method, attributes);
    }
}
