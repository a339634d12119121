package io.vmiscope.analysis;

import java.util.List;

/**
 * What one process touched: the images it executed, files, network endpoints, registry keys and child
 * processes, each edge with its event count and first/last time. Beyond the top N targets of a kind (by
 * events), the rest are grouped — files and images by directory, registry keys by parent key, endpoints by
 * host — each group saying how many targets it hides. All names are guest-controlled text.
 *
 * @param process       the process
 * @param images        exec paths
 * @param files         file paths
 * @param endpoints     network addresses
 * @param registry      registry keys (DRAKVUF regmon)
 * @param children      the first N children by start time
 * @param moreChildren  how many further children there are
 */
public record BehaviourGraph(ProcessNode process, Targets images, Targets files, Targets endpoints, Targets registry,
                             List<Child> children, long moreChildren) {

    public BehaviourGraph {
        children = List.copyOf(children);
    }

    /**
     * The targets of one kind.
     *
     * @param top    the N targets with the most events (ties by name)
     * @param groups the remaining targets grouped, biggest groups first, at most N groups
     * @param total  how many distinct targets there are in all (top + every group, shown or not)
     */
    public record Targets(List<Target> top, List<TargetGroup> groups, long total) {

        public Targets {
            top = List.copyOf(top);
            groups = List.copyOf(groups);
        }
    }

    /**
     * One edge: process → target.
     *
     * @param name        the path or address
     * @param group       its directory or parent key (with the trailing separator), or host
     * @param operations  the operations seen, sorted ({@code open}, {@code connect}, {@code exec}, …)
     * @param access      for files and registry keys {@code read}, {@code write} or {@code delete} (the strongest
 *                    seen), else empty
     * @param events      how many events
     * @param firstNanos  the first event's time
     * @param lastNanos   the last event's time
     */
    public record Target(String name, String group, List<String> operations, String access, long events,
                         long firstNanos, long lastNanos) {

        public Target {
            operations = List.copyOf(operations);
        }
    }

    /**
     * Targets folded into one node.
     *
     * @param group      the directory or host
     * @param more       how many targets it holds
     * @param events     their events
     * @param firstNanos the first event's time
     * @param lastNanos  the last event's time
     */
    public record TargetGroup(String group, long more, long events, long firstNanos, long lastNanos) {
    }

    /**
     * One edge: process → child process.
     *
     * @param key        the child
     * @param name       its name
     * @param startNanos its start
     * @param endNanos   its end, or {@code null}
     * @param events     its events
     */
    public record Child(ProcessKey key, String name, long startNanos, Long endNanos, long events) {
    }
}
