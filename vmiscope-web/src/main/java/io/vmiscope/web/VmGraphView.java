package io.vmiscope.web;

import io.vmiscope.analysis.VmGraph;

import java.util.List;
import java.util.Map;

/** The behaviour graph of a whole VM as the API shows it ({@code VmGraph} of openapi.yaml); keys as {@code PID@START}. */
record VmGraphView(String vm, List<Process> processes, long hiddenProcesses, List<VmGraph.Resource> resources,
                   List<Link> links, Map<String, Long> hiddenGroups) {

    record Process(String key, int pid, String parent, String name, String image, String lifetime, long events,
                   long children) {
    }

    record Link(String process, int resource, long events, String access) {
    }

    static VmGraphView of(VmGraph g) {
        return new VmGraphView(g.vm(), g.processes().stream().map(p -> new Process(ProcessKeys.format(p.key()),
                p.key().pid(), ProcessKeys.format(p.parent()), p.name(), p.image(), p.lifetime().name(), p.events(),
                p.children())).toList(), g.hiddenProcesses(), g.resources(), g.links().stream()
                .map(l -> new Link(ProcessKeys.format(l.process()), l.resource(), l.events(), l.access())).toList(),
                g.hiddenGroups());
    }
}
