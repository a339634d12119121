package io.vmiscope.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A system call, seen at its entry (and, when return values are traced, its result).
 *
 * @param name      the syscall's name, e.g. {@code "openat"}
 * @param number    its number in the x86-64 table, or -1
 * @param arguments decoded arguments in order
 * @param result    the return value as text ({@code "3"}, {@code "-1 ENOENT"}), or {@code null} when not traced
 * @param abi       the entry path: {@code "x64"}, {@code "ia32"} (a 32-bit call), or empty when unknown (imports)
 */
public record SyscallEvent(long timeNanos, String vm, String action, ProcessRef process, String name, int number,
                           List<SyscallArgument> arguments, String result, String abi) implements Event {

    public SyscallEvent {
        arguments = List.copyOf(arguments);
        abi = abi == null ? "" : abi;
    }

    /** A call whose entry path is unknown (as in imported logs). */
    public SyscallEvent(long timeNanos, String vm, String action, ProcessRef process, String name, int number,
                        List<SyscallArgument> arguments, String result) {
        this(timeNanos, vm, action, process, name, number, arguments, result, "");
    }

    @Override
    public String kind() {
        return "syscall";
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("syscall", name);
        f.put("number", number);
        f.put("args", arguments.stream().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", a.name());
            m.put("type", a.type());
            m.put("value", a.text());
            m.put("raw", a.raw());
            if (a.truncated()) {
                m.put("truncated", true);
            }
            if (a.unreadable()) {
                m.put("unreadable", true);
            }
            return m;
        }).toList());
        if (result != null) {
            f.put("result", result);
        }
        if (!abi.isEmpty()) {
            f.put("abi", abi);
        }
        return f;
    }
}
