package io.vmiscope.x86;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import java.util.List;
import java.util.Optional;

/**
 * A virtual address could not be translated. Says which access failed ({@link #context()}), at
 * which level the walk stopped ({@link #level()}, empty when it stopped before reading any table),
 * why ({@link #reason()}), and carries the entries read up to that point ({@link #trace()}). The
 * message holds all of it in one line. Nothing is left behind: a failed walk changes no state
 * except caching the entries it read.
 */
public class PageFaultException extends GuestAccessException {
    private static final long serialVersionUID = 1L;

    /** Why a walk stopped. */
    public enum Reason {
        /** The address's high bits do not repeat its top bit (Intel SDM 3A §4.5.1). */
        NON_CANONICAL,
        /** An entry has P = 0 (SDM 3A §4.5.4). */
        NOT_PRESENT,
        /** An entry sets a bit the SDM reserves (SDM 3A §4.5.4, Tables 4-15 to 4-20). */
        RESERVED_BIT,
        /** A table or page address lies beyond the configured maximum physical address. */
        PHYSICAL_ADDRESS_OUT_OF_RANGE,
        /** Reading a paging-structure entry from physical memory failed. */
        TABLE_UNREADABLE
    }

    private final transient AccessContext context;
    private final String level;
    private final Reason reason;
    private final transient List<TraceEntry> trace;

    /**
     * @param level  name of the level where the walk stopped, or {@code null} before the first
     * @param detail what was wrong there, for the message
     */
    public PageFaultException(AccessContext context, String level, Reason reason, String detail,
            List<TraceEntry> trace, Throwable cause) {
        super(message(context, level, detail, trace), cause);
        this.context = context;
        this.level = level;
        this.reason = reason;
        this.trace = List.copyOf(trace);
    }

    /** The access whose translation failed. */
    public AccessContext context() {
        return context;
    }

    /** The level where the walk stopped; empty when it stopped before reading a table. */
    public Optional<String> level() {
        return Optional.ofNullable(level);
    }

    public Reason reason() {
        return reason;
    }

    /** Entries read before the walk stopped, top level first (the failing entry last, when read). */
    public List<TraceEntry> trace() {
        return trace;
    }

    private static String message(AccessContext context, String level, String detail, List<TraceEntry> trace) {
        StringBuilder text = new StringBuilder("cannot translate ").append(context).append(": ");
        if (level != null) {
            text.append("at ").append(level).append(": ");
        }
        text.append(detail);
        if (!trace.isEmpty()) {
            text.append(" (trace: ");
            for (int i = 0; i < trace.size(); i++) {
                text.append(i == 0 ? "" : ", ").append(trace.get(i));
            }
            text.append(')');
        }
        return text.toString();
    }
}
