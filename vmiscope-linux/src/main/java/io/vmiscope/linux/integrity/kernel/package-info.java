/**
 * Kernel-integrity readers: each compares one part of the running kernel, read from the stopped guest,
 * with what the kernel's own image says belongs there, and returns its findings (empty = intact).
 *
 * <pre>
 *   KernelTextVerifier ──── _stext.._etext, page by page ◀── image .text, relocated (KaslrRelocations),
 *                                                          patch sites left out (TextPatchSites) while they
 *                                                          hold a form the kernel writes (PatchSiteForms)
 *   EntryPointVerifier ──── idt_table, 256 gates        ◀── IdtLayout: early/def/apic idt_data tables,
 *                                                          irq and spurious stub arrays
 *   SyscallDispatchVerifier  x64_sys_call's switch       ◀── SwitchDecoder per number, SyscallTable.expectedEntry
 * </pre>
 *
 * The readers know no actions, events or alerts; the check framework above them decides when to run
 * them and what a finding becomes. Guest memory is hostile: every read has a size fixed by the image,
 * every loop a bound, and a page or table that cannot be read is itself a finding.
 */
package io.vmiscope.linux.integrity.kernel;
