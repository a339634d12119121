package io.vmiscope.cli;

import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.monitor.Action;
import io.vmiscope.monitor.FileEventsAction;
import io.vmiscope.monitor.NetworkEventsAction;
import io.vmiscope.monitor.SyscallTraceAction;
import io.vmiscope.monitor.ProcessEventsAction;
import io.vmiscope.monitor.ProcessFilter;
import io.vmiscope.monitor.SnapshotAction;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses the {@code --action} words of {@code vmiscope monitor} into actions:
 * {@code syscalls:file,network}, {@code procevents}, {@code files}, {@code network}, {@code pslist:5s},
 * {@code modules:30s}.
 */
final class ActionSpecs {

    static final String HELP = "syscalls:NAMES|GROUPS (e.g. syscalls:openat,execve or syscalls:file,network) | "
            + "procevents | files[:WATCHED,PATHS] | network | pslist:PERIOD[:unpaused] | modules:PERIOD   "
            + "(PERIOD like 500ms, 5s, 1m; files:/etc,/tmp also reports writes under those paths)";

    private ActionSpecs() {
    }

    static Action parse(String spec, LinuxGuest linux, ProcessFilter filter, boolean returnValues) {
        String name = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        String argument = spec.contains(":") ? spec.substring(spec.indexOf(':') + 1) : "";
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "syscalls" -> {
                if (argument.isEmpty()) {
                    throw new IllegalArgumentException("action 'syscalls' needs names or groups, e.g. syscalls:file,network");
                }
                yield new SyscallTraceAction(linux, argument, filter, returnValues);
            }
            case "procevents" -> new ProcessEventsAction(linux, filter);
            case "files" -> new FileEventsAction(linux, filter,
                    argument.isEmpty() ? java.util.List.of() : java.util.List.of(argument.split(",")));
            case "network" -> new NetworkEventsAction(linux, filter);
            case "pslist" -> argument.endsWith(":unpaused")
                    ? new SnapshotAction(SnapshotAction.Kind.PROCESSES,
                            period(spec, argument.substring(0, argument.length() - ":unpaused".length())), false)
                    : new SnapshotAction(SnapshotAction.Kind.PROCESSES, period(spec, argument));
            case "modules" -> new SnapshotAction(SnapshotAction.Kind.MODULES, period(spec, argument));
            default -> throw new IllegalArgumentException("unknown action '" + spec + "'; known: " + HELP);
        };
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}; at least 100 ms. */
    static Duration period(String spec, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("action '" + spec + "' needs a period like 500ms, 5s or 1m");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
        if (d.toMillis() < 100) {
            throw new IllegalArgumentException("action '" + spec + "': the period must be at least 100ms");
        }
        return d;
    }
}
