package io.vmiscope.analysis;

import io.vmiscope.events.AlertEvent;

import java.util.Locale;
import java.util.Set;

/**
 * Which of a VM's alerts to list. Every criterion is optional (empty set, {@code null} = any); values are bound as
 * SQL parameters, never spliced into SQL text.
 *
 * @param minLevel  only alerts of this level or more serious
 * @param rules     only alerts of these rule ids
 * @param marks     only alerts with these marks: {@code acknowledged}, {@code false_positive}, or {@link #UNMARKED}
 * @param pid       only alerts about this pid
 * @param text      only alerts whose process, rule id, title, explanation or follow-up contain this text
 *                  (case-insensitive)
 * @param fromNanos only alerts at or after this time
 * @param toNanos   only alerts at or before this time
 */
public record AlertQuery(AlertEvent.Level minLevel, Set<String> rules, Set<String> marks, Integer pid, String text,
                         Long fromNanos, Long toNanos) {

    /** The mark filter's name for alerts nobody marked yet. */
    public static final String UNMARKED = "none";

    /** Every alert. */
    public static final AlertQuery ALL = new AlertQuery(null, Set.of(), Set.of(), null, null, null, null);

    public AlertQuery {
        rules = rules == null ? Set.of() : Set.copyOf(rules);
        marks = marks == null ? Set.of() : Set.copyOf(marks);
        text = text == null || text.isEmpty() ? null : text;
    }

    /** The same query for one pid between {@code from} and {@code to} (a process's lifetime). */
    public AlertQuery of(int processPid, Long from, Long to) {
        return new AlertQuery(minLevel, rules, marks, processPid, text, from, to);
    }

    /** The search text lower-cased (DuckDB's {@code lower} folds the same way for the text it searches). */
    String textLowerCase() {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }
}
