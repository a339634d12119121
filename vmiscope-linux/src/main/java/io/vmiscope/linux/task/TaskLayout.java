package io.vmiscope.linux.task;

import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.symbols.StructMember;

/**
 * The member offsets (bytes) the task walker reads, resolved once from a profile. Construction fails
 * with a {@link ProfileException} naming the first missing member, so a walker is never half-working.
 */
record TaskLayout(long tasks, long pid, long tgid, long comm, int commBytes, long realParent, long realCred,
                  long mm, long flags, long state, long exitState, long startTime,
                  long credUid, long credGid, long mmPgd, long mmArgStart, long mmArgEnd, long mmEnvStart,
                  long mmEnvEnd) {

    /** {@code PF_KTHREAD} in include/linux/sched.h. */
    static final int PF_KTHREAD = 0x0020_0000;

    static TaskLayout from(KernelProfile profile) {
        StructLayout task = profile.struct("task_struct");
        StructLayout cred = profile.struct("cred");
        StructLayout mm = profile.struct("mm_struct");
        StructMember comm = task.member("comm")
                .orElseThrow(() -> new ProfileException("struct task_struct has no member 'comm'"));
        // Linux 5.14 renamed task_struct.state to __state.
        long state = task.member("__state").or(() -> task.member("state"))
                .orElseThrow(() -> new ProfileException("struct task_struct has neither '__state' nor 'state'"))
                .offsetBytes();
        int commBytes = comm.sizeBits() > 0 ? (int) Math.min(64, comm.sizeBits() / 8) : 16;
        return new TaskLayout(task.offsetOf("tasks"), task.offsetOf("pid"), task.offsetOf("tgid"),
                comm.offsetBytes(), commBytes, task.offsetOf("real_parent"), task.offsetOf("real_cred"),
                task.offsetOf("mm"), task.offsetOf("flags"), state, task.offsetOf("exit_state"),
                task.offsetOf("start_time"), cred.offsetOf("uid"), cred.offsetOf("gid"),
                mm.offsetOf("pgd"), mm.offsetOf("arg_start"), mm.offsetOf("arg_end"),
                mm.offsetOf("env_start"), mm.offsetOf("env_end"));
    }
}
