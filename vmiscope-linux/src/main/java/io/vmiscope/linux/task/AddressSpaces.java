package io.vmiscope.linux.task;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.walk.KernelPointers;
import io.vmiscope.x86.GuestMemory;

/**
 * A task's address space: {@code task->mm->pgd}, translated to the physical page-table root that
 * reads of the process's own memory go through. Not thread-safe; valid while the VM is stopped.
 */
public final class AddressSpaces {

    private final GuestMemory memory;
    private final TaskLayout layout;
    private final int addressBits;

    public AddressSpaces(GuestMemory memory, KernelProfile profile) {
        this.memory = memory;
        this.layout = TaskLayout.from(profile);
        this.addressBits = memory.mode().virtualAddressBits();
    }

    /**
     * The physical address of the task's top-level page table.
     *
     * @throws GuestAccessException for a kernel thread (no address space) or unreadable, implausible pointers
     */
    public long pageTableRoot(Gva task) {
        long mm = memory.readU64(AccessContext.kernel(task.plus(layout.mm())));
        if (mm == 0) {
            throw new GuestAccessException("task " + task + " has no address space (a kernel thread or a zombie)");
        }
        if (!KernelPointers.isPlausible(mm, addressBits, 8)) {
            throw new GuestAccessException("task " + task + ": mm is " + Gva.of(mm));
        }
        long pgd = memory.readU64(AccessContext.kernel(Gva.of(mm + layout.mmPgd())));
        if (!KernelPointers.isPlausible(pgd, addressBits, 4096)) {
            throw new GuestAccessException("task " + task + ": mm->pgd is " + Gva.of(pgd));
        }
        return memory.translate(AccessContext.kernel(Gva.of(pgd))).gpa().value();
    }
}
