package io.vmiscope.analysis;

import io.vmiscope.events.AlertEvent;
import io.vmiscope.store.AlertMarks;

import java.util.List;

/**
 * One stored alert as the views show it, with what people decided about it. The process name and every text
 * field may carry guest-controlled text (names, command lines in explanations): render them only as text.
 *
 * @param id          the alert's content id (docs/store.md), also the key of its mark
 * @param timeNanos   when it was raised: the time of the event that completed the detection
 * @param pid         the process it is about, -1 for the VM as a whole
 * @param processName that process as a table shows it (base name of a path), empty when unknown
 * @param process     that process's key when the process tree knows it (as of the last refresh), else {@code null}
 * @param ruleId      the rule that raised it (a Sigma rule's own {@code id})
 * @param title       the rule's title
 * @param level       how serious
 * @param techniques  ATT&amp;CK technique ids
 * @param evidence    the ids of the events it was raised on, oldest first
 * @param explanation one line saying why
 * @param followUp    what introspection it asked for and what became of it; empty for none
 * @param mark        its mark, or {@code null} while nobody set one
 */
public record AlertRow(String id, long timeNanos, int pid, String processName, ProcessKey process, String ruleId,
                       String title, AlertEvent.Level level, List<String> techniques, List<String> evidence,
                       String explanation, String followUp, AlertMarks.Marked mark) {

    public AlertRow {
        techniques = List.copyOf(techniques);
        evidence = List.copyOf(evidence);
    }
}
