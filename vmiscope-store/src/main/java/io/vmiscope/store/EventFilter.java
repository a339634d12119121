package io.vmiscope.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Which stored events a query or export covers. Every criterion is optional ({@code null} = any);
 * values are bound as SQL parameters, never spliced into SQL text.
 *
 * @param vm        only this VM
 * @param kind      only this kind ({@code "syscall"}, {@code "exec"}, …)
 * @param pid       only this pid
 * @param fromNanos only events at or after this time, nanoseconds since the Unix epoch
 * @param toNanos   only events before this time, nanoseconds since the Unix epoch
 */
public record EventFilter(String vm, String kind, Integer pid, Long fromNanos, Long toNanos) {

    /** Every event. */
    public static final EventFilter ALL = new EventFilter(null, null, null, null, null);

    public EventFilter withVm(String value) {
        return new EventFilter(value, kind, pid, fromNanos, toNanos);
    }

    public EventFilter withKind(String value) {
        return new EventFilter(vm, value, pid, fromNanos, toNanos);
    }

    public EventFilter withPid(Integer value) {
        return new EventFilter(vm, kind, value, fromNanos, toNanos);
    }

    public EventFilter between(Long from, Long to) {
        return new EventFilter(vm, kind, pid, from, to);
    }

    /** The WHERE clause (empty or starting with {@code " WHERE "}) with {@code ?} placeholders. */
    String whereClause() {
        List<String> terms = new ArrayList<>();
        if (vm != null) {
            terms.add("vm = ?");
        }
        if (kind != null) {
            terms.add("kind = ?");
        }
        if (pid != null) {
            terms.add("pid = ?");
        }
        if (fromNanos != null) {
            terms.add("time_ns >= ?");
        }
        if (toNanos != null) {
            terms.add("time_ns < ?");
        }
        return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
    }

    /** The values for {@link #whereClause()}'s placeholders, in order. */
    List<Object> parameters() {
        List<Object> values = new ArrayList<>();
        if (vm != null) {
            values.add(vm);
        }
        if (kind != null) {
            values.add(kind);
        }
        if (pid != null) {
            values.add(pid);
        }
        if (fromNanos != null) {
            values.add(fromNanos);
        }
        if (toNanos != null) {
            values.add(toNanos);
        }
        return values;
    }
}
