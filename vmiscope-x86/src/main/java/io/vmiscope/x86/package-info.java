/**
 * x86-64 address translation, written as a table of levels (after Volatility 3's layers): a
 * {@link io.vmiscope.x86.PagingMode} is the list of {@link io.vmiscope.x86.PagingLevel}s a walk
 * visits, and one loop over that list implements 4-level and 5-level paging with 4 KiB, 2 MiB and
 * 1 GiB pages (Intel SDM Vol. 3A §4.5).
 *
 * <pre>
 *   CR3 ─▶ [PML5] ─▶ PML4 ─▶ PDPT ─▶ PD ─▶ PT ─▶ 4 KiB page
 *                             │PS      │PS
 *                             ▼        ▼
 *                          1 GiB    2 MiB page
 * </pre>
 *
 * <p>{@link io.vmiscope.x86.GuestMemory} is what the OS layers read through: it resolves an
 * {@link io.vmiscope.api.AccessContext}, splits reads at page boundaries, merges physically
 * contiguous pieces into one {@link io.vmiscope.api.PhysicalMemory} read, and caches page-table
 * entries until the VM resumes. Translations outlive the stop: afterwards each is re-confirmed by
 * re-reading its trace in the same batch as the data read through it ({@code TranslationCache},
 * {@code TraceChecks}), unless its pages were declared stable. Every translation returns the trace of the entries
 * it visited; a failed one throws {@link io.vmiscope.x86.PageFaultException} carrying the partial
 * trace. Page-table contents are guest data and therefore hostile: a walk reads at most one entry
 * per level, so cycles in the tables cannot make it loop.
 */
package io.vmiscope.x86;
