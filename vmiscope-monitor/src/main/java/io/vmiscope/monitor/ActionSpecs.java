package io.vmiscope.monitor;

import io.vmiscope.linux.LinuxGuest;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code --action} words of {@code vmiscope monitor} into actions:
 * {@code syscalls:file,network}, {@code procevents}, {@code files}, {@code network}, {@code pslist:5s},
 * {@code modules:30s}.
 */
public final class ActionSpecs {

    public static final String HELP = "syscalls:NAMES|GROUPS (e.g. syscalls:openat,execve or syscalls:file,network) | "
            + "procevents | files[:WATCHED,PATHS] | network | pslist:PERIOD[:unpaused] | modules:PERIOD   "
            + "(PERIOD like 500ms, 5s, 1m; files:/etc,/tmp also reports writes under those paths)";

    private static final Pattern FILTERED = Pattern.compile("(.+)\\[pid=(\\d{1,9})]");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private ActionSpecs() {
    }

    public static Action parse(String spec, LinuxGuest linux, ProcessFilter filter, boolean returnValues) {
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

    /** The spec of {@code monitor --action} plus an optional {@code [pid=N]}: how the UI names actions. */
    public static Action build(String spec, LinuxGuest linux) {
        Matcher m = FILTERED.matcher(spec);
        if (m.matches()) {
            return parse(m.group(1), linux, new ProcessFilter(Set.of(Integer.parseInt(m.group(2))), Set.of()), false);
        }
        return parse(spec, linux, ProcessFilter.ALL, false);
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
    public static Duration duration(String what, String text) {
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
