package io.vmiscope.analysis;

import java.util.List;

/**
 * Indicators of what happened in a VM: images executed, files written, files deleted and hosts contacted,
 * for the whole VM and per process (only processes with any indicator). All values are guest-controlled
 * text.
 *
 * @param vm        the VM
 * @param total     the VM's indicators
 * @param processes per process, by process start then pid
 */
public record Summary(String vm, Indicators total, List<ProcessIndicators> processes) {

    public Summary {
        processes = List.copyOf(processes);
    }

    /**
     * One set of indicators.
     *
     * @param imagesExecuted exec paths
     * @param filesWritten   paths created, written, truncated, renamed, linked, chmod/chown-ed, or opened for writing
     * @param filesDeleted   paths unlinked or removed
     * @param hostsContacted hosts (address without port) of connections, DNS queries and accepted peers;
     *                       not local binds or listens
     */
    public record Indicators(Values imagesExecuted, Values filesWritten, Values filesDeleted, Values hostsContacted) {

        /** No indicator at all. */
        public static final Indicators NONE = new Indicators(Values.NONE, Values.NONE, Values.NONE, Values.NONE);
    }

    /**
     * Distinct values, sorted, the first {@link Analysis#SUMMARY_VALUES} of them.
     *
     * @param values   the values shown
     * @param distinct how many distinct values there are in all
     */
    public record Values(List<String> values, long distinct) {

        /** None. */
        public static final Values NONE = new Values(List.of(), 0);

        public Values {
            values = List.copyOf(values);
        }
    }

    /**
     * One process's indicators.
     *
     * @param process    the process
     * @param name       its name
     * @param indicators what it did
     */
    public record ProcessIndicators(ProcessKey process, String name, Indicators indicators) {
    }
}
