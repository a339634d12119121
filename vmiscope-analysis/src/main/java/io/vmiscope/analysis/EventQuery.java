package io.vmiscope.analysis;

import java.util.Locale;
import java.util.Set;

/**
 * Which of a process's events to list. Every criterion is optional (empty set, {@code null} = any); values
 * are bound as SQL parameters, never spliced into SQL text.
 *
 * @param kinds     only these kinds ({@code syscall}, {@code file}, …)
 * @param names     only these names: syscall, file or network operation, exec path, DRAKVUF plugin
 * @param text      only events whose task name, name or fields contain this text (case-insensitive)
 * @param fromNanos only events at or after this time
 * @param toNanos   only events at or before this time
 */
public record EventQuery(Set<String> kinds, Set<String> names, String text, Long fromNanos, Long toNanos) {

    /** Every event of the process. */
    public static final EventQuery ALL = new EventQuery(Set.of(), Set.of(), null, null, null);

    public EventQuery {
        kinds = kinds == null ? Set.of() : Set.copyOf(kinds);
        names = names == null ? Set.of() : Set.copyOf(names);
        text = text == null || text.isEmpty() ? null : text;
    }

    public EventQuery withKinds(String... values) {
        return new EventQuery(Set.of(values), names, text, fromNanos, toNanos);
    }

    public EventQuery withNames(String... values) {
        return new EventQuery(kinds, Set.of(values), text, fromNanos, toNanos);
    }

    public EventQuery containing(String value) {
        return new EventQuery(kinds, names, value, fromNanos, toNanos);
    }

    public EventQuery between(Long from, Long to) {
        return new EventQuery(kinds, names, text, from, to);
    }

    /** The search text lower-cased (DuckDB's {@code lower} folds the same way for the text it searches). */
    String textLowerCase() {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }
}
