package io.vmiscope.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one parser of {@link ActionSpec} text (the grammar is documented there) and the parts its members' {@code toString()}
 * share when they write it.
 */
final class ActionSpecText {

    /** The longest spec text read: longer is no spec anyone writes. */
    private static final int MAX_CHARS = 4096;
    /** The longest period: a snapshot less often than daily is no monitoring. */
    private static final Duration LONGEST_PERIOD = Duration.ofDays(1);
    private static final Pattern PID = Pattern.compile("\\d{1,9}");
    static final String UNPAUSED = ":unpaused";

    private ActionSpecText() {
    }

    static ActionSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty action spec; known: " + ActionSpec.HELP);
        }
        if (text.length() > MAX_CHARS) {
            throw new IllegalArgumentException("action spec of " + text.length() + " characters: at most " + MAX_CHARS);
        }
        String quoted = "action '" + OneLine.of(text, 80) + "'";
        int open = text.indexOf('[');
        ProcessFilter filter = ProcessFilter.ALL;
        String rest = text;
        if (open >= 0 || text.indexOf(']') >= 0) {
            int close = text.indexOf(']', open + 1);
            boolean afterName = open >= 0 && text.lastIndexOf(':', open) < 0;
            boolean atEnd = close == text.length() - 1;
            if (open < 0 || close < 0 || text.indexOf('[', open + 1) >= 0 || text.indexOf(']', close + 1) >= 0
                    || !(afterName || atEnd)) {
                throw new IllegalArgumentException(quoted + ": one process filter [...] goes right after the "
                        + "action's name or at the end");
            }
            filter = filter(quoted, text.substring(open + 1, close));
            rest = text.substring(0, open) + text.substring(close + 1);
        }
        int colon = rest.indexOf(':');
        String name = (colon < 0 ? rest : rest.substring(0, colon)).toLowerCase(Locale.ROOT);
        String argument = colon < 0 ? null : rest.substring(colon + 1);
        ActionSpec spec = switch (name) {
            case "syscalls" -> new ActionSpec.Syscalls(items(quoted, "syscall name", argument, true), filter);
            case "procevents" -> new ActionSpec.ProcessEvents(noArgument(quoted, argument, filter));
            case "network" -> new ActionSpec.NetworkEvents(noArgument(quoted, argument, filter));
            case "files" -> new ActionSpec.FileEvents(filter, items(quoted, "watched path", argument, false));
            case "pslist", "modules" -> snapshot(quoted, name, argument, filter);
            case "checks" -> checks(quoted, argument, filter);
            default -> throw new IllegalArgumentException("unknown " + quoted + "; known: " + ActionSpec.HELP);
        };
        return spec;
    }

    /** {@code own} narrowed to {@code filter}; see {@link ActionSpec#restrictedTo}. */
    static ProcessFilter restrict(ActionSpec spec, ProcessFilter own, ProcessFilter filter) {
        if (filter.isAll() || own.equals(filter)) {
            return own;
        }
        if (!own.isAll()) {
            throw new IllegalArgumentException("action '" + spec + "' keeps processes " + own
                    + " already: it cannot be restricted to " + filter + " too");
        }
        return filter;
    }

    static void checkPeriod(String action, Duration period) {
        if (period == null || period.compareTo(ActionSpec.SHORTEST_PERIOD) < 0 || period.compareTo(LONGEST_PERIOD) > 0
                || period.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("action '" + action + "': the period must be whole milliseconds from "
                    + "100ms to 1 day, not " + period);
        }
    }

    private static ActionSpec snapshot(String quoted, String name, String argument, ProcessFilter filter) {
        if (!filter.isAll()) {
            throw new IllegalArgumentException(quoted + ": a snapshot walks every process and takes no process filter");
        }
        if (argument == null || argument.isEmpty()) {
            throw new IllegalArgumentException(quoted + " needs a period, e.g. " + name + ":5s");
        }
        boolean unpaused = name.equals("pslist") && argument.endsWith(UNPAUSED);
        String period = unpaused ? argument.substring(0, argument.length() - UNPAUSED.length()) : argument;
        Duration d = Durations.parse(quoted, period);
        return name.equals("pslist") ? new ActionSpec.ProcessList(d, !unpaused) : new ActionSpec.ModuleList(d);
    }

    /** {@code checks:PERIOD} or {@code checks:NAME,NAME:PERIOD}. */
    private static ActionSpec checks(String quoted, String argument, ProcessFilter filter) {
        if (!filter.isAll()) {
            throw new IllegalArgumentException(quoted + ": checks read the whole kernel and take no process filter");
        }
        if (argument == null || argument.isEmpty()) {
            throw new IllegalArgumentException(quoted + " needs a period, e.g. checks:5s or checks:hidden-processes:5s");
        }
        int colon = argument.lastIndexOf(':');
        List<String> names = colon < 0 ? List.of() : items(quoted, "check name", argument.substring(0, colon), true);
        return new ActionSpec.Checks(names, Durations.parse(quoted, argument.substring(colon + 1)));
    }

    private static ProcessFilter noArgument(String quoted, String argument, ProcessFilter filter) {
        if (argument != null) {
            throw new IllegalArgumentException(quoted + " takes no argument, not ':" + OneLine.of(argument, 40) + "'");
        }
        return filter;
    }

    /** A comma-separated list; null (no colon) is empty when allowed. */
    private static List<String> items(String quoted, String what, String argument, boolean required) {
        if (argument == null && !required) {
            return List.of();
        }
        if (argument == null || argument.isEmpty()) {
            throw new IllegalArgumentException(quoted + " needs a " + what + " after the colon");
        }
        List<String> items = new ArrayList<>();
        for (String item : argument.split(",", -1)) {
            if (item.isBlank()) {
                throw new IllegalArgumentException(quoted + " has an empty " + what + " in its list");
            }
            items.add(item.strip());
        }
        return items;
    }

    /** {@code pid=1,2;process=sh}: either part, each once. */
    private static ProcessFilter filter(String quoted, String text) {
        Set<Integer> pids = new HashSet<>();
        Set<String> names = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (String part : text.split(";", -1)) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            if (eq < 0 || !(key.equals("pid") || key.equals("process")) || !seen.add(key)) {
                throw new IllegalArgumentException(quoted + ": the process filter needs pid=N,N and/or process=NAME,NAME "
                        + "(each once, joined by ;), not '" + OneLine.of(part, 40) + "'");
            }
            for (String value : part.substring(eq + 1).split(",", -1)) {
                if (key.equals("process")) {
                    names.add(value);
                } else if (PID.matcher(value).matches()) {
                    pids.add(Integer.parseInt(value));
                } else {
                    throw new IllegalArgumentException(quoted + ": '" + OneLine.of(value, 40) + "' is no pid");
                }
            }
        }
        return new ProcessFilter(pids, names);
    }

    /** {@code [pid=42]} for a restriction, empty for none: how a spec's text carries its filter. */
    static String bracket(ProcessFilter filter) {
        return filter.isAll() ? "" : "[" + filter + "]";
    }
}
