/**
 * The event store: every event, live or imported, in one embedded DuckDB file that analysts can
 * also open with DuckDB's own CLI (docs/store.md).
 *
 * <pre>
 *   monitor ──accept──▶ DuckDbEventStore ──▶ queue ──▶ writer thread ──▶ Appender ──▶ events
 *   log files ──imports.LogReader──▶ Importer ──importBatch()──▶ Appender ──────────────┘
 *                        (one transaction per batch; only new content ids are appended: idempotent)
 *   EventReader: count · forEach (events back, time order, paged) · costs · flush  ─┐ separate connections,
 *   StoreConnections: openConnection · inTransaction (analysis, overhead tables) ───┤ beside ingestion
 *   export (COPY … TO jsonl/csv/parquet) ───────────────────────────────────────────┘
 *   retention: deleteOlderThan · trimToBytes     costs: recordCosts / costs (CostsTable: the one mapping)
 *   ids: EventIds (live and imported) · columns: EventColumns (name, fields, live source)
 * </pre>
 *
 * Readers take the ports ({@link io.vmiscope.store.EventReader}, {@link io.vmiscope.store.StoreConnections}),
 * not {@link io.vmiscope.store.DuckDbEventStore}, which implements them. {@link io.vmiscope.store.Schema} versions
 * the file in one ordered list of migrations (including the tables other modules keep in it) and migrates older
 * files on open; a file from a newer vmiscope is refused. This package depends on the event shape only.
 */
package io.vmiscope.store;
