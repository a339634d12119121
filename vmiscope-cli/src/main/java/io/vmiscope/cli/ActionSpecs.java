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
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code --action} words of {@code vmiscope monitor} into actions:
 * {@code syscalls:file,network}, {@code procevents}, {@code files}, {@code network}, {@code pslist:5s},
 * {@code modules:30s}.
 */
final class ActionSpecs {

    static final String HELP = "syscalls:NAMES|GROUPS (e.g. syscalls:openat,execve or syscalls:file,network) | "
            + "procevents | files[:WATCHED,PATHS] | network | pslist:PERIOD[:unpaused] | modules:PERIOD   "
            + "(PERIOD like 500ms, 5s, 1m; files:/etc,/tmp also reports writes under those paths)";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

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
                    argument.isEmpty() ? List.of() : List.of(argument.split(",")));
            case "network" -> new NetworkEventsAction(linux, filter);
            case "pslist" -> argument.endsWith(":unpaused")
                    ? new SnapshotAction(SnapshotAction.Kind.PROCESSES,
                            period(spec, argument.substring(0, argument.length() - ":unpaused".length())), false)
                    : new SnapshotAction(SnapshotAction.Kind.PROCESSES, period(spec, argument));
            case "modules" -> new SnapshotAction(SnapshotAction.Kind.MODULES, period(spec, argument));
            default -> throw new IllegalArgumentException("unknown action '" + spec + "'; known: " + HELP);
        };
    }

    /** An action's period: {@code 500ms}, {@code 5s}, {@code 2m}; at least 100 ms. */
    static Duration period(String spec, String text) {
        return duration("action '" + spec + "'", text);
    }

    /**
     * A duration option's value: {@code 500ms}, {@code 5s}, {@code 2m}; at least 100 ms.
     *
     * @param what names it in the message, e.g. {@code --window}
     */
    static Duration duration(String what, String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " needs a duration like 500ms, 5s or 1m, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
        if (d.toMillis() < 100) {
            throw new IllegalArgumentException(what + ": the duration must be at least 100ms, not " + text);
        }
        return d;
    }
}
