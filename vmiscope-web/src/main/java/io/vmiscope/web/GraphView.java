package io.vmiscope.web;

import io.vmiscope.analysis.BehaviourGraph;

import java.util.List;

/** A behaviour graph as the API shows it; the targets keep the analysis's own shape. */
record GraphView(ProcessView process, BehaviourGraph.Targets images, BehaviourGraph.Targets files,
                 BehaviourGraph.Targets endpoints, BehaviourGraph.Targets registry, List<Child> children,
                 long moreChildren) {

    record Child(String key, String name, long startNanos, Long endNanos, long events) {
    }

    static GraphView of(BehaviourGraph g) {
        List<Child> children = g.children().stream()
                .map(c -> new Child(ProcessKeys.format(c.key()), c.name(), c.startNanos(), c.endNanos(), c.events()))
                .toList();
        return new GraphView(ProcessView.of(g.process()), g.images(), g.files(), g.endpoints(), g.registry(), children,
                g.moreChildren());
    }
}
