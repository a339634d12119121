/**
 * System calls of a Linux guest, seen from outside: which entry function serves each call in this
 * kernel, whether the live {@code sys_call_table} still points there, and the decoded arguments of a
 * call caught at its entry.
 *
 * <pre>
 *   profile ──▶ SyscallTable        name → __x64_sys_&lt;entry&gt; (+ slide = breakpoint address), groups, select("file,network")
 *           └─▶ SyscallTable.verifyLive(sys_call_table bytes) ──▶ SyscallHookFinding (hooked slots)
 *
 *   breakpoint on __x64_sys_openat:  rdi ─▶ struct pt_regs ──PtRegsLayout──▶ di si dx r10 r8 r9
 *        SyscallDecoder(SyscallSignature "openat") + UserMemory (the caller's CR3)
 *           ──▶ [dirfd=AT_FDCWD, pathname="/etc/passwd", flags=O_RDONLY|O_CLOEXEC, mode=000]
 *   at return: ReturnFormatter ──▶ "3" or "-1 ENOENT (No such file or directory)"
 * </pre>
 *
 * <p>User memory is hostile: strings, arrays and previews are read within {@link
 * io.vmiscope.linux.syscall.DecodeLimits}, a fault marks one argument instead of failing the call, and
 * all text is escaped to one line.
 */
package io.vmiscope.linux.syscall;
