package io.vmiscope.detect.sigma;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ProcessFilter;
import org.yaml.snakeyaml.nodes.Node;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.vmiscope.detect.sigma.YamlNodes.isMapping;
import static io.vmiscope.detect.sigma.YamlNodes.isSequence;
import static io.vmiscope.detect.sigma.YamlNodes.mapping;
import static io.vmiscope.detect.sigma.YamlNodes.scalars;
import static io.vmiscope.detect.sigma.YamlNodes.sequence;

/**
 * The introspection actions whose events fill a rule's logsources (docs/detection.md's table): what must run
 * live for the rule to fire. Windows logsources come only from imported logs and need none.
 */
final class RuleInputs {

    private static final String SYSCALL_FIELD = "syscall";

    private RuleInputs() {
    }

    /**
     * @param detection the rule's {@code detection} mapping: an auditd rule's literal {@code syscall} values name
     *                  the calls to trace (none named: every call)
     */
    static List<ActionSpec> of(Set<Logsource> logsources, Map<String, Node> detection) {
        Set<ActionSpec> out = new LinkedHashSet<>();
        for (Logsource l : logsources) {
            if (!l.product().equals(Logsource.LINUX)) {
                continue;
            }
            switch (l.category()) {
                case EventMapper.PROCESS_CREATION -> out.add(new ActionSpec.ProcessEvents(ProcessFilter.ALL));
                case EventMapper.NETWORK_CONNECTION -> out.add(new ActionSpec.NetworkEvents(ProcessFilter.ALL));
                case Logsource.AUDITD -> out.add(new ActionSpec.Syscalls(syscalls(detection), ProcessFilter.ALL));
                default -> out.add(new ActionSpec.FileEvents(ProcessFilter.ALL, List.of()));
            }
        }
        return List.copyOf(out);
    }

    private static List<String> syscalls(Map<String, Node> detection) {
        Set<String> names = new LinkedHashSet<>();
        detection.forEach((key, selection) -> collect(selection, names));
        return names.isEmpty() ? List.of("all") : List.copyOf(names);
    }

    private static void collect(Node selection, Set<String> names) {
        if (isSequence(selection)) {
            sequence(selection).forEach(n -> collect(n, names));
        } else if (isMapping(selection)) {
            for (Map.Entry<String, Node> field : mapping(selection, "a selection").entrySet()) {
                if (field.getKey().strip().toLowerCase(Locale.ROOT).equals(SYSCALL_FIELD)) {
                    for (String value : scalars(field.getValue(), "syscall")) {
                        if (value != null && value.matches("[a-z0-9_]{1,64}")) {
                            names.add(value);
                        }
                    }
                }
            }
        }
    }
}
