package io.vmiscope.analysis;

import io.vmiscope.events.AlertEvent;

import java.util.Map;

/**
 * One page of a VM's alerts, newest first, with how many alerts of each level the query finds when its level
 * criterion is left out (so a level filter's choices show their counts).
 *
 * @param alerts  the page
 * @param byLevel alerts per level for the query without {@link AlertQuery#minLevel()}; levels without alerts
 *                are left out
 */
public record AlertPage(Page<AlertRow> alerts, Map<AlertEvent.Level, Long> byLevel) {

    public AlertPage {
        byLevel = Map.copyOf(byLevel);
    }
}
