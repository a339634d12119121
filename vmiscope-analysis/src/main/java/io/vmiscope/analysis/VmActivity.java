package io.vmiscope.analysis;

import java.util.List;

/**
 * What the store holds of one VM.
 *
 * @param vm               its name
 * @param events           stored events
 * @param processes        processes as of its last refresh
 * @param firstNanos       its oldest event's time
 * @param lastNanos        its newest event's time
 * @param sources          {@code live} and/or the imported files, sorted
 * @param eventsLastMinute events in the last minute of its span (up to {@code lastNanos})
 */
public record VmActivity(String vm, long events, long processes, long firstNanos, long lastNanos,
                         List<String> sources, long eventsLastMinute) {

    public VmActivity {
        sources = List.copyOf(sources);
    }
}
