/**
 * The process list, read from the kernel's task list outside the guest.
 *
 * <pre>
 *   init_task.tasks ─▶ task.tasks ─▶ … ─▶ back to init_task   (bounded, cycle-checked)
 *        task ─ real_parent ─▶ ppid     task ─ real_cred ─▶ uid/gid
 *        task ─ mm ─▶ pgd (the process's page tables) + arg_start..arg_end ─▶ argv in user memory
 *                     (a rewritten title may run on into env_start..env_end, as /proc/PID/cmdline shows it)
 * </pre>
 */
package io.vmiscope.linux.task;
