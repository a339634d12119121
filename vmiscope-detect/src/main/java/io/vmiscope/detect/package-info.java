/**
 * Intrusion detection over the one event shape: events in, alerts out, per VM. The same engine runs live
 * (a sink of the monitoring session) and in batch over a store. Rule-based detection (Sigma rules and
 * correlations) and syscall-sequence anomaly models live in sub-packages; both report alerts with the ids
 * of their evidence events. This package depends on the event shape and the store only.
 */
package io.vmiscope.detect;
