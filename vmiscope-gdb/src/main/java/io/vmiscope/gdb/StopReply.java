package io.vmiscope.gdb;

import io.vmiscope.api.StopEvent;

/**
 * A parsed stop reply: {@code S<sig>}, {@code T<sig>key:value;…} (with {@code thread:<id>}),
 * {@code W<status>} or {@code X<sig>} (the target exited or was terminated).
 *
 * @param kind   the first byte of the reply
 * @param signal the signal or exit status (hex in the packet), -1 when absent
 * @param thread the reporting thread, or null when the reply named none
 */
record StopReply(char kind, int signal, ThreadId thread) {

    /** GDB's signal numbers as QEMU sends them: 2 for an interrupt, 5 for a trap. */
    static final int SIGINT = 2;

    /** @throws IllegalArgumentException when {@code payload} is not a stop reply */
    static StopReply parse(String payload) {
        if (payload.isEmpty() || "STWX".indexOf(payload.charAt(0)) < 0) {
            throw new IllegalArgumentException("not a stop reply: " + payload);
        }
        char kind = payload.charAt(0);
        int end = 1;
        while (end < payload.length() && end < 3 && PacketCodec.hexValue(payload.charAt(end)) >= 0) {
            end++;
        }
        int signal = end > 1 ? Integer.parseInt(payload.substring(1, end), 16) : -1;
        ThreadId thread = null;
        if (kind == 'T') {
            for (String field : payload.substring(end).split(";")) {
                if (field.startsWith("thread:")) {
                    thread = ThreadId.parse(field.substring("thread:".length()));
                }
            }
        }
        return new StopReply(kind, signal, thread);
    }

    boolean exited() {
        return kind == 'W' || kind == 'X';
    }

    StopEvent toEvent() {
        StopEvent.Reason reason = exited() ? StopEvent.Reason.EXITED
                : signal == SIGINT ? StopEvent.Reason.REQUESTED : StopEvent.Reason.TRAP;
        return new StopEvent(reason, thread == null ? -1 : thread.tid(), signal);
    }
}
