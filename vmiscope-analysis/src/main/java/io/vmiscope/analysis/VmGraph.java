package io.vmiscope.analysis;

import java.util.List;
import java.util.Map;

/**
 * The behaviour of a whole VM as one graph, as sandbox reports draw it: processes linked to their parents, and
 * to the groups of files, registry keys and hosts they touched. Bounded whatever the VM did: the busiest
 * processes with events (the oldest when none has any, as in a Volatility process list) with the ancestors
 * that connect them, and per kind the groups with the strongest access (delete, write, read), then the most
 * events. Everything else is counted, not drawn. All names are guest-controlled text.
 *
 * @param vm              the VM
 * @param processes       the processes shown, by start then pid
 * @param hiddenProcesses how many processes are not shown
 * @param resources       the groups shown: files by directory, registry keys by parent key, hosts
 * @param links           process → group edges, with their events
 * @param hiddenGroups    per kind ({@code file}, {@code registry}, {@code host}) how many groups are not shown
 */
public record VmGraph(String vm, List<Process> processes, long hiddenProcesses, List<Resource> resources,
                      List<Link> links, Map<String, Long> hiddenGroups) {

    public VmGraph {
        processes = List.copyOf(processes);
        resources = List.copyOf(resources);
        links = List.copyOf(links);
        hiddenGroups = Map.copyOf(hiddenGroups);
    }

    /**
     * One process.
     *
     * @param key      the process
     * @param parent   its nearest ancestor that is shown, or {@code null}
     * @param name     its name (a base name)
     * @param image    its image's path, or {@code null}
     * @param lifetime how much of its life monitoring saw
     * @param events   its events
     * @param children how many child processes it had in all (shown or not)
     */
    public record Process(ProcessKey key, ProcessKey parent, String name, String image, Lifetime lifetime,
                          long events, long children) {
    }

    /**
     * A group of targets of one kind.
     *
     * @param kind    {@code file}, {@code registry} or {@code host}
     * @param group   the directory or parent key (with its trailing separator), or the host
     * @param targets how many distinct targets it holds
     * @param sample  its one target when it holds one (a file, key or address), else {@code null}
     * @param events  the events on its targets
     * @param access  for files and keys the strongest access seen ({@code delete}, {@code write}, {@code read}),
     *                else empty
     */
    public record Resource(String kind, String group, long targets, String sample, long events, String access) {
    }

    /**
     * An edge from a process to a group.
     *
     * @param process  the process
     * @param resource the index of the group in {@link VmGraph#resources()}
     * @param events   the process's events on it
     * @param access   the strongest access of the process to it, or empty
     */
    public record Link(ProcessKey process, int resource, long events, String access) {
    }
}
