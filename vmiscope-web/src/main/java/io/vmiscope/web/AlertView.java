package io.vmiscope.web;

import io.vmiscope.analysis.AlertCount;
import io.vmiscope.analysis.AlertPage;
import io.vmiscope.analysis.AlertRow;
import io.vmiscope.analysis.ProcessNode;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.store.AlertMarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An alert as the API shows it (openapi.yaml, {@code Alert}): its fields, the process key and its mark. */
record AlertView(String id, long timeNanos, int pid, String processName, String process, String ruleId, String title,
                 String level, List<String> techniques, List<String> evidence, String explanation, String followUp,
                 MarkView mark) {

    static AlertView of(AlertRow a) {
        return new AlertView(a.id(), a.timeNanos(), a.pid(), a.processName(), ProcessKeys.format(a.process()),
                a.ruleId(), a.title(), a.level().label(), a.techniques(), a.evidence(), a.explanation(), a.followUp(),
                MarkView.of(a.mark()));
    }

    /** What people decided about an alert ({@code AlertMark} of openapi.yaml); {@code null} while unmarked. */
    record MarkView(String mark, long timeNanos, String note) {

        static MarkView of(AlertMarks.Marked marked) {
            return marked == null ? null : new MarkView(marked.mark().label(), marked.timeNanos(), marked.note());
        }
    }

    /** Alerts per level, least serious first; levels without alerts have none ({@code AlertCounts}). */
    static Map<String, Long> byLevel(Map<AlertEvent.Level, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (AlertEvent.Level level : AlertEvent.Level.values()) {
            out.put(level.label(), counts.getOrDefault(level, 0L));
        }
        return out;
    }

    /** A process's or a VM's alerts that are not false positives: how many and the most serious level. */
    record Badge(long alerts, String highest) {

        static Badge of(AlertCount count) {
            return new Badge(count.alerts(), count.highest() == null ? null : count.highest().label());
        }
    }

    /** A page of alerts with the counts per level ({@code AlertPage} of openapi.yaml). */
    record Page(List<AlertView> items, long total, int offset, int limit, Map<String, Long> byLevel) {

        static Page of(AlertPage page) {
            return new Page(page.alerts().items().stream().map(AlertView::of).toList(), page.alerts().total(),
                    page.alerts().offset(), page.alerts().limit(), AlertView.byLevel(page.byLevel()));
        }
    }

    /** One of an alert's process and its ancestors ({@code Ancestor} of openapi.yaml). */
    record Ancestor(String key, int pid, String name, String image, String commandLine, long startNanos,
                    Long endNanos) {

        static Ancestor of(ProcessNode n) {
            return new Ancestor(ProcessKeys.format(n.key()), n.pid(), n.name(), n.image(), n.commandLine(),
                    n.startNanos(), n.endNanos());
        }
    }

    /** An alert whole: its evidence events and its process's ancestry, itself first ({@code AlertDetail}). */
    record Detail(String vm, AlertView alert, List<EventView> evidence, List<Ancestor> ancestry) {
    }
}
