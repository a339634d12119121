package io.vmiscope.detect;

import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.Event;

import java.util.List;

/**
 * One way of detecting: sees a VM's events in time order and raises alerts. The same detector serves a live
 * session (events as the monitor reports them) and a batch run over a store (events as they were kept), so
 * its state is bounded in memory whatever the input's length. Not thread-safe: one caller feeds it.
 */
public interface Detector {

    /**
     * Sees one event.
     *
     * @param eventId the id the store keeps it under (what an alert's evidence names)
     * @return the alerts it raises, often none
     */
    List<AlertEvent> accept(String eventId, Event event);

    /** The input has ended (a batch run, a session's end): alerts still pending, e.g. of an open window. */
    default List<AlertEvent> finish() {
        return List.of();
    }

    /** The introspection an alert this detector raised asks for (a live session runs it within its budget). */
    default List<FollowUpRequest> followUps(AlertEvent alert) {
        return List.of();
    }
}
