/**
 * The event store: every event, live or imported, in one embedded DuckDB file that analysts can
 * also open with DuckDB's own CLI (docs/store.md).
 *
 * <pre>
 *   monitor ──accept──▶ DuckDbEventStore ──▶ queue ──▶ writer thread ──▶ Appender ──▶ events
 *   log files ──imports.LogReader──▶ Importer ──importBatch()──▶ Appender ──────────────┘
 *                        (one transaction per batch; only new content ids are appended: idempotent)
 *   count · export (COPY … TO jsonl/csv/parquet) · openReader ──▶ separate connections, beside ingestion
 *   retention: deleteOlderThan · trimToBytes          costs: recordCosts (CostRecord per action)
 * </pre>
 *
 * {@link io.vmiscope.store.Schema} versions the file and migrates older ones on open; a file from a
 * newer vmiscope is refused. This package depends on the event shape only.
 */
package io.vmiscope.store;
