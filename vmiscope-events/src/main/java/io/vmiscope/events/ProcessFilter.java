package io.vmiscope.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which processes an action reports: all, or those whose pid or name is listed. Part of an
 * {@link ActionSpec}'s text, so names are single words.
 *
 * @param pids  thread-group ids to keep (empty: no pid restriction)
 * @param names task names to keep (empty: no name restriction)
 */
public record ProcessFilter(Set<Integer> pids, Set<String> names) {

    public static final ProcessFilter ALL = new ProcessFilter(Set.of(), Set.of());

    /** A task name ({@code comm}, at most 15 bytes in Linux) as a filter can write it. */
    private static final Pattern NAME = Pattern.compile("[^,;\\[\\]\\s]{1,64}");

    /** @throws IllegalArgumentException for a negative pid or a name with a comma, semicolon, bracket or space */
    public ProcessFilter {
        pids = Set.copyOf(pids);
        names = Set.copyOf(names);
        for (int pid : pids) {
            if (pid < 0) {
                throw new IllegalArgumentException("process filter: pid " + pid + " is negative");
            }
        }
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("process filter: '" + OneLine.of(name, 40) + "' is no process "
                        + "name (1 to 64 characters, no comma, semicolon, bracket or space)");
            }
        }
    }

    /** The single process with this pid. */
    public static ProcessFilter pid(int pid) {
        return new ProcessFilter(Set.of(pid), Set.of());
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
