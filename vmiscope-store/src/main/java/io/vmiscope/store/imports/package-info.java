/**
 * Importers: other tools' logs (and vmiscope's own) read into the one event shape, for the store.
 *
 * <pre>
 *   drakmon.log (JSON lines | text)  ── DrakvufReader ───────┐
 *   Volatility 3 pslist / pstree     ── VolatilityReader ────┼──▶ Stream&lt;ImportItem&gt; ──▶ store
 *   vmiscope JSONL (EventJson)       ── VmiscopeJsonlReader ─┘      Parsed(event, file, line, ordinal, raw)
 *                                                                   | Rejected(file, line, reason)
 *                                                                   … FileRead(file, LineCounts) at the end
 * </pre>
 *
 * Log text is hostile input: every reader streams (lines are read with a hard cap and never held whole),
 * bounds what it gathers ({@link io.vmiscope.store.imports.ImportLimits}), and turns a bad line into a
 * {@link io.vmiscope.store.imports.ImportItem.Rejected} instead of throwing, so that every good line is
 * still imported. Nothing is dropped in silence: lines end at LF, CRLF or a lone CR
 * ({@code LineSource}), every JSON value on a line is read ({@code JsonValues}), and every line is counted
 * as one of gave events, folded into a snapshot, rejected or blank
 * ({@link io.vmiscope.store.imports.LineCounts}). {@link io.vmiscope.store.imports.ImportFormat} names the
 * formats and gives their readers.
 */
package io.vmiscope.store.imports;
