package io.vmiscope.detect;

import java.time.Duration;
import java.util.Locale;

/**
 * Introspection a rule asks for when it fires, for the session to run within its budget (or refuse, or
 * degrade): an action in {@code monitor --action} syntax, whom it covers and for how long.
 *
 * @param action      e.g. {@code syscalls:file,network,process}
 * @param scope       whom it covers
 * @param forDuration how long; {@link Duration#ZERO} for a one-shot action (a snapshot)
 */
public record FollowUpRequest(String action, Scope scope, Duration forDuration) {

    /** Whom a follow-up covers. */
    public enum Scope {
        /** The alert's process. */
        PROCESS,
        /** The alert's process and its descendants. */
        PROCESS_TREE,
        /** The whole VM. */
        VM;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** For people and the alert's {@code follow_up} text, e.g. {@code syscalls:file for 60 s on the process}. */
    public String describe() {
        String target = switch (scope) {
            case PROCESS -> "the process";
            case PROCESS_TREE -> "the process and its children";
            case VM -> "the VM";
        };
        return action + (forDuration.isZero() ? "" : " for " + forDuration.toSeconds() + " s") + " on " + target;
    }
}
