package io.vmiscope.linux.integrity;

import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.walk.WalkResult;

/**
 * The task list, {@code init_task.tasks}: the view {@code ps} and {@code for_each_process} walk, one of thread
 * group leaders. Shared by the checks that start from it.
 *
 * @param initTask    runtime address of {@code init_task} (the list's head is inside it)
 * @param tasksOffset offset of {@code task_struct.tasks}
 */
record TaskList(long initTask, long tasksOffset) {

    static final String VIEW = "task list (init_task.tasks)";

    static TaskList of(KernelAccess kernel, StructLayout task) {
        return new TaskList(kernel.address("init_task"), task.offsetOf("tasks"));
    }

    /** The tasks on the list, init_task left out. */
    WalkResult<Long> walk(KernelAccess kernel, KernelWords words) {
        return KernelList.walk(words, initTask + tasksOffset, tasksOffset, kernel.limits(), kernel.addressBits(), VIEW);
    }
}
