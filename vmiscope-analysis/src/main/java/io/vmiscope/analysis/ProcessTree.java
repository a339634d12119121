package io.vmiscope.analysis;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A forest of processes, flat: {@link #nodes()} in depth-first order (each root followed by its descendants,
 * children by start time), every node naming its parent and children by key. Flat so that a hostile guest's
 * ten-thousand-deep fork chain costs no recursion, here or in a renderer. A node whose parent is not in the
 * tree (not alive in the time asked for, or never seen) is a root; a parent cycle in guest data is cut where
 * the walk first meets it.
 *
 * @param vm    the VM
 * @param roots the roots, in the order of {@link #nodes()}
 * @param nodes every node, depth-first
 */
public record ProcessTree(String vm, List<ProcessKey> roots, List<ProcessNode> nodes) {

    public ProcessTree {
        roots = List.copyOf(roots);
        nodes = List.copyOf(nodes);
    }

    /** The node of {@code key}, when it is in this tree. */
    public Optional<ProcessNode> node(ProcessKey key) {
        return Optional.ofNullable(byKey().get(key));
    }

    /** The nodes with this pid (several when the pid was reused within the time asked for), by start. */
    public List<ProcessNode> withPid(int pid) {
        return nodes.stream().filter(n -> n.pid() == pid)
                .sorted((a, b) -> Long.compare(a.startNanos(), b.startNanos())).toList();
    }

    /** Every node by key. */
    public Map<ProcessKey, ProcessNode> byKey() {
        return nodes.stream().collect(Collectors.toMap(ProcessNode::key, Function.identity()));
    }
}
