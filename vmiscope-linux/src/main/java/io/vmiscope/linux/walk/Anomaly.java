package io.vmiscope.linux.walk;

/**
 * Something in guest memory that a well-formed kernel would not show. Anomalies are data, not
 * failures: a broken task list is itself a detection signal.
 *
 * @param kind   what went wrong
 * @param where  the access context or object where it was seen, e.g. {@code "task 0xffff…"}
 * @param detail one line for the analyst
 */
public record Anomaly(Kind kind, String where, String detail) {

    public enum Kind {
        /** A list led back to an element other than its head. */
        CYCLE,
        /** A pointer that is non-canonical, in the wrong half, or misaligned. */
        WILD_POINTER,
        /** A pointer to memory that is not mapped. */
        UNMAPPED,
        /** A doubly linked list whose back pointer disagrees (a sign of unlinking, e.g. DKOM). */
        LIST_CORRUPTION,
        /** A value out of its possible range (a negative pid, an enormous length). */
        IMPLAUSIBLE,
        /** A configured limit stopped the walk. */
        LIMIT
    }

    @Override
    public String toString() {
        return kind + " at " + where + ": " + detail;
    }
}
