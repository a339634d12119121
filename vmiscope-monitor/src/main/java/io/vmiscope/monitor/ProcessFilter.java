package io.vmiscope.monitor;

import io.vmiscope.events.ProcessRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which processes an action reports: all, or those whose pid or name is listed.
 *
 * @param pids  thread-group ids to keep (empty: no pid restriction)
 * @param names task names to keep (empty: no name restriction)
 */
public record ProcessFilter(Set<Integer> pids, Set<String> names) {

    public static final ProcessFilter ALL = new ProcessFilter(Set.of(), Set.of());

    public ProcessFilter {
        pids = Set.copyOf(pids);
        names = Set.copyOf(names);
    }

    public boolean isAll() {
        return pids.isEmpty() && names.isEmpty();
    }

    /** A process of unknown identity is kept only when there is no restriction. */
    public boolean matches(ProcessRef process) {
        return isAll() || pids.contains(process.pid()) || names.contains(process.name());
    }

    /** Compact and space-free, as it appears in action ids: {@code pid=42,43;process=httpd}. */
    @Override
    public String toString() {
        if (isAll()) {
            return "all";
        }
        List<String> parts = new ArrayList<>();
        if (!pids.isEmpty()) {
            parts.add("pid=" + pids.stream().sorted().map(String::valueOf).collect(Collectors.joining(",")));
        }
        if (!names.isEmpty()) {
            parts.add("process=" + names.stream().sorted().collect(Collectors.joining(",")));
        }
        return String.join(";", parts);
    }
}
