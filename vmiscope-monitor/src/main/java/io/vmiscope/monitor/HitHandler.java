package io.vmiscope.monitor;

/** What an action does when one of its hooks is hit. Runs on the monitor's thread with the VM stopped. */
@FunctionalInterface
public interface HitHandler {

    /**
     * Handles one hit. Guest-data faults ({@link io.vmiscope.api.GuestAccessException}) thrown from
     * here are counted and reported as anomalies; the monitor goes on.
     */
    void onHit(Hit hit);
}
