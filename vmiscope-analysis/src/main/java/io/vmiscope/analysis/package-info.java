/**
 * Pre-processing and queries over the event store: process lifetimes and trees (a process is a pid plus a
 * lifetime, so pid reuse gives two processes), per-process events, activity timelines, behaviour graphs of a
 * process and of a whole VM, and indicator summaries. Everything a table shows of an event — its name, a
 * one-line summary ({@link io.vmiscope.analysis.EventSummaries}), its process by base name — is made here;
 * renderers only render.
 *
 * <pre>
 *   store (StoreConnections) ── events ──▶ Analysis.refresh(vm) ──▶ processes   (Lifetimes: snapshot/fork/exec/exit
 *                                            (one transaction)         │          + processes seen only by activity)
 *                                                                     ├─▶ activity    (1 s buckets × kind × category)
 *                                                                     └─▶ graph_edges (images, files, endpoints,
 *                                                                                      registry keys)
 *   Analysis.processTree · processEvents · timeline · behaviourGraph · vmGraph · summary ──▶ plain records
 * </pre>
 *
 * Results are records of data only; rendering (tables, JSON, web) is the caller's. Every string that came
 * from a guest or a log stays data: bound as a SQL parameter, rendered as text. This package depends on
 * the event shape and the store's ports only ({@code StoreConnections} for its SQL and derived tables; the one
 * reader row type {@link io.vmiscope.analysis.EventRow} is made here, from stored rows or from a live event).
 */
package io.vmiscope.analysis;
