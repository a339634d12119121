package io.vmiscope.web;

import io.vmiscope.analysis.Timeline;

import java.util.ArrayList;
import java.util.List;

/** A timeline as the API shows it: sparse cells {@code [bucket, all, file, network, process, memory, ipc, other]}. */
record TimelineView(String vm, long fromNanos, long bucketNanos, int buckets, int processes, List<String> categories,
                    List<Lane> lanes) {

    static final List<String> CATEGORIES = List.of("file", "network", "process", "memory", "ipc", "other");

    record Lane(String key, String name, String image, long events, List<long[]> cells) {

        static Lane of(Timeline.Lane lane) {
            return new Lane(ProcessKeys.format(lane.process()), lane.name(), lane.image(), lane.events(), lane.cells()
                    .stream()
                    .map(c -> new long[]{c.bucket(), c.events(), c.file(), c.network(), c.process(), c.memory(), c.ipc(),
                            c.other()}).toList());
        }
    }

    static TimelineView of(Timeline t) {
        List<Lane> lanes = new ArrayList<>(t.lanes().stream().map(Lane::of).toList());
        if (t.others() != null) {
            lanes.add(Lane.of(t.others()));
        }
        return new TimelineView(t.vm(), t.fromNanos(), t.bucketNanos(), t.buckets(), t.processes(), CATEGORIES, lanes);
    }
}
