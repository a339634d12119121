package io.vmiscope.detect;

import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.Event;

import java.util.ArrayList;
import java.util.List;

/** Several detectors as one (rules and anomaly models side by side): each sees every event, in order. */
public final class Detectors implements Detector {

    private final List<Detector> all;

    public Detectors(List<Detector> all) {
        this.all = List.copyOf(all);
    }

    @Override
    public List<AlertEvent> accept(String eventId, Event event) {
        List<AlertEvent> alerts = null;
        for (Detector d : all) {
            List<AlertEvent> raised = d.accept(eventId, event);
            if (!raised.isEmpty()) {
                if (alerts == null) {
                    alerts = new ArrayList<>(raised.size());
                }
                alerts.addAll(raised);
            }
        }
        return alerts == null ? List.of() : alerts;
    }

    @Override
    public List<AlertEvent> finish() {
        List<AlertEvent> alerts = new ArrayList<>();
        all.forEach(d -> alerts.addAll(d.finish()));
        return alerts;
    }

    @Override
    public List<FollowUpRequest> followUps(AlertEvent alert) {
        for (Detector d : all) {
            List<FollowUpRequest> asked = d.followUps(alert);
            if (!asked.isEmpty()) {
                return asked;
            }
        }
        return List.of();
    }
}
