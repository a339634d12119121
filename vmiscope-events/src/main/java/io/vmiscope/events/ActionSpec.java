package io.vmiscope.events;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an introspection action is, as a value: which syscalls, events or snapshots, for which processes
 * and how often. The one typed form of what {@code vmiscope monitor --action} takes, what the browser
 * starts and the budget planner degrades; built into an action by {@code io.vmiscope.monitor.Actions}.
 *
 * <p>Its text ({@link #toString()}, read back by {@link #parse}) is the id of the action built from it —
 * the {@code action} of its events — so a stored event names the spec that produced it:
 * <pre>
 *   syscalls:NAMES|GROUPS[FILTER]   e.g. syscalls:openat,execve   syscalls:file,network[pid=42]
 *   procevents[FILTER]              network[FILTER]
 *   files[FILTER][:WATCHED,PATHS]   e.g. files:/etc,/tmp          files[process=httpd]
 *   pslist:PERIOD[:unpaused]        e.g. pslist:5s   pslist:500ms:unpaused
 *   modules:PERIOD                  e.g. modules:30s
 *   FILTER: pid=N,N;process=NAME,NAME (either part may be left out)
 * </pre>
 * Periods are written in whole seconds where exact, else in milliseconds; {@link #parse} also takes
 * minutes ({@code 1m}) and a filter at the end of any hooking spec ({@code files:/etc[pid=42]}), the
 * form the browser appends. Snapshots walk every process and take no filter. Members are immutable
 * records, equal when their text is; {@code toString()} writes the text.
 */
public sealed interface ActionSpec {

    /** The shortest period an action may have: shorter ones would keep the VM stopped. */
    Duration SHORTEST_PERIOD = Duration.ofMillis(100);

    /** For help texts: every form, one line. */
    String HELP = "syscalls:NAMES|GROUPS (e.g. syscalls:openat,execve or syscalls:file,network) | "
            + "procevents | files[:WATCHED,PATHS] | network | pslist:PERIOD[:unpaused] | modules:PERIOD | "
            + "checks[:NAMES]:PERIOD (cross-view integrity checks, e.g. checks:5s or checks:hidden-processes:5s)   "
            + "(PERIOD like 500ms, 5s, 1m; files:/etc,/tmp also reports writes under those paths)";

    /**
     * The spec a text names.
     *
     * @throws IllegalArgumentException with one line naming the bad part
     */
    static ActionSpec parse(String text) {
        return ActionSpecText.parse(text);
    }

    /**
     * This spec for the processes {@code filter} keeps: unchanged for {@link ProcessFilter#ALL} and for
     * snapshots (they walk every process).
     *
     * @throws IllegalArgumentException when the spec keeps other processes already
     */
    ActionSpec restrictedTo(ProcessFilter filter);

    /** A syscall trace: {@code syscalls:file,network}, one breakpoint per entry ({@code all}: on the common entry). */
    record Syscalls(List<String> names, ProcessFilter processes) implements ActionSpec {

        private static final Pattern NAME = Pattern.compile("%?[A-Za-z0-9_]{1,64}");

        /** @param names syscall names and group labels ({@code openat}, {@code file}, {@code %network}, {@code all}), in order */
        public Syscalls {
            names = List.copyOf(names);
            Objects.requireNonNull(processes, "processes");
            if (names.isEmpty()) {
                throw new IllegalArgumentException("action 'syscalls' needs names or groups, e.g. syscalls:file,network");
            }
            for (String name : names) {
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("action 'syscalls': '" + OneLine.of(name, 40)
                            + "' is no syscall name or group (letters, digits, _; a group may start with %)");
                }
            }
        }

        /** The same trace, of the processes it keeps, for other syscalls. */
        public Syscalls only(List<String> otherNames) {
            return new Syscalls(otherNames, processes);
        }

        /** Whether it traces every syscall (through the common entry). */
        public boolean all() {
            return names.contains("all");
        }

        @Override
        public Syscalls restrictedTo(ProcessFilter filter) {
            return new Syscalls(names, ActionSpecText.restrict(this, processes, filter));
        }

        @Override
        public String toString() {
            return "syscalls:" + String.join(",", names) + ActionSpecText.bracket(processes);
        }
    }

    /** Process events: {@code procevents} (exec, fork, exit). */
    record ProcessEvents(ProcessFilter processes) implements ActionSpec {

        public ProcessEvents {
            Objects.requireNonNull(processes, "processes");
        }

        @Override
        public ProcessEvents restrictedTo(ProcessFilter filter) {
            return new ProcessEvents(ActionSpecText.restrict(this, processes, filter));
        }

        @Override
        public String toString() {
            return "procevents" + ActionSpecText.bracket(processes);
        }
    }

    /** File events: {@code files}, with writes under the watched path prefixes too ({@code files:/etc,/tmp}). */
    record FileEvents(ProcessFilter processes, List<String> watchedPaths) implements ActionSpec {

        private static final Pattern PATH = Pattern.compile("/[^,\\[\\]\\s]{0,255}");

        /** @param watchedPaths absolute path prefixes (no comma, bracket or space), in order; empty for none */
        public FileEvents {
            Objects.requireNonNull(processes, "processes");
            watchedPaths = List.copyOf(watchedPaths);
            for (String path : watchedPaths) {
                if (!PATH.matcher(path).matches()) {
                    throw new IllegalArgumentException("action 'files': '" + OneLine.of(path, 40)
                            + "' is no watched path (absolute, at most 256 characters, no comma, bracket or space)");
                }
            }
        }

        @Override
        public FileEvents restrictedTo(ProcessFilter filter) {
            return new FileEvents(ActionSpecText.restrict(this, processes, filter), watchedPaths);
        }

        @Override
        public String toString() {
            return "files" + ActionSpecText.bracket(processes)
                    + (watchedPaths.isEmpty() ? "" : ":" + String.join(",", watchedPaths));
        }
    }

    /** Network events: {@code network} (connect, accept, bind, listen). */
    record NetworkEvents(ProcessFilter processes) implements ActionSpec {

        public NetworkEvents {
            Objects.requireNonNull(processes, "processes");
        }

        @Override
        public NetworkEvents restrictedTo(ProcessFilter filter) {
            return new NetworkEvents(ActionSpecText.restrict(this, processes, filter));
        }

        @Override
        public String toString() {
            return "network" + ActionSpecText.bracket(processes);
        }
    }

    /**
     * A process-list snapshot every period: {@code pslist:5s}; paused (the default) the VM is stopped for
     * the whole walk, unpaused ({@code pslist:5s:unpaused}) it runs between the walk's steps.
     */
    record ProcessList(Duration period, boolean paused) implements ActionSpec {

        public ProcessList {
            ActionSpecText.checkPeriod("pslist", period);
        }

        /** The same walk every {@code longer}. */
        public ProcessList every(Duration longer) {
            return new ProcessList(longer, paused);
        }

        @Override
        public ProcessList restrictedTo(ProcessFilter filter) {
            return this;
        }

        @Override
        public String toString() {
            return "pslist:" + Durations.format(period) + (paused ? "" : ActionSpecText.UNPAUSED);
        }
    }

    /** A kernel-module-list snapshot every period, always paused: {@code modules:30s}. */
    record ModuleList(Duration period) implements ActionSpec {

        public ModuleList {
            ActionSpecText.checkPeriod("modules", period);
        }

        @Override
        public ModuleList restrictedTo(ProcessFilter filter) {
            return this;
        }

        @Override
        public String toString() {
            return "modules:" + Durations.format(period);
        }
    }

    /**
     * Cross-view integrity checks every period, always paused: {@code checks:5s} runs every check,
     * {@code checks:hidden-processes,credentials:5s} the ones named (check ids; which exist is the monitor's to
     * say). Reports a finding event per disagreement and nothing for a clean kernel.
     */
    record Checks(List<String> checks, Duration period) implements ActionSpec {

        private static final Pattern CHECK = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

        /** @param checks check ids in order; empty for every check */
        public Checks {
            checks = List.copyOf(checks);
            ActionSpecText.checkPeriod("checks", period);
            for (String check : checks) {
                if (!CHECK.matcher(check).matches()) {
                    throw new IllegalArgumentException("action 'checks': '" + OneLine.of(check, 40)
                            + "' is no check name (lower-case letters, digits and -, e.g. hidden-processes)");
                }
            }
        }

        /** The same checks every {@code longer}. */
        public Checks every(Duration longer) {
            return new Checks(checks, longer);
        }

        @Override
        public Checks restrictedTo(ProcessFilter filter) {
            return this;
        }

        @Override
        public String toString() {
            return "checks:" + (checks.isEmpty() ? "" : String.join(",", checks) + ":") + Durations.format(period);
        }
    }
}
