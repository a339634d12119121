/**
 * The one event shape of vmiscope, for live introspection and imported logs alike, the port
 * through which events leave the monitor, and what producing them cost ({@link io.vmiscope.events.CostSummary}).
 *
 * <pre>
 *   every event:  timeNanos · vm · action · kind · process (pid, tid, ppid, uid, name)
 *   + its kind's own fields:  syscall | exec | fork | exit | file | network | processes | modules
 *                             | anomaly | control
 * </pre>
 *
 * Events are immutable records (a sealed family), so consumers switch over them exhaustively.
 * {@link io.vmiscope.events.Event#fields()} gives the kind-specific part as a flat map for
 * serialisation and storage; {@link io.vmiscope.events.EventJson} writes the documented JSON line.
 */
package io.vmiscope.events;
