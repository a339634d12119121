package io.vmiscope.linux.task;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.walk.GuestStrings;
import io.vmiscope.linux.walk.KernelPointers;
import io.vmiscope.linux.walk.ReadPlan;
import io.vmiscope.x86.ContextRead;
import io.vmiscope.x86.GuestMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Finds the task running on a vCPU that stopped in the kernel: x86-64 Linux keeps it in the per-CPU
 * variable {@code current_task} (kernels ≥ 6.2: {@code pcpu_hot.current_task}), and in kernel mode
 * {@code GS_BASE} points at the CPU's per-CPU area. Not thread-safe; valid while the VM is stopped.
 *
 * <p>Cost: the pointer is one read the caller can put into a batch ({@link #pointerRead}); the
 * identity is two batched reads (the task's fields, then its parent's tgid and its credentials).
 */
public final class CurrentTaskReader {

    private final GuestMemory memory;
    private final TaskLayout layout;
    private final long perCpuOffset;
    private final int addressBits;
    private final ReadPlan identityPlan;

    /** @throws ProfileException when the profile has neither {@code current_task} nor {@code pcpu_hot} */
    public CurrentTaskReader(GuestMemory memory, KernelProfile profile, int maxReadBytes) {
        this.memory = memory;
        this.layout = TaskLayout.from(profile);
        this.perCpuOffset = perCpuOffset(profile);
        this.addressBits = memory.mode().virtualAddressBits();
        this.identityPlan = ReadPlan.builder(maxReadBytes)
                .field(layout.pid(), 4).field(layout.tgid(), 4).field(layout.comm(), layout.commBytes())
                .field(layout.realParent(), 8).field(layout.realCred(), 8).build();
    }

    private static long perCpuOffset(KernelProfile profile) {
        if (profile.findSymbol("current_task").isPresent()) {
            return profile.symbol("current_task"); // a per-CPU symbol: an offset, not relocated by KASLR
        }
        if (profile.findSymbol("pcpu_hot").isPresent()) {
            return profile.symbol("pcpu_hot") + profile.offset("pcpu_hot", "current_task");
        }
        throw new ProfileException("profile " + profile.source() + " has neither current_task nor pcpu_hot");
    }

    /** A read of the {@code current_task} pointer of the CPU whose kernel GS base is {@code gsBase}. */
    public ContextRead pointerRead(long gsBase) {
        return ContextRead.of(AccessContext.kernel(Gva.of(gsBase + perCpuOffset)), 8);
    }

    /** The pointer a completed {@link #pointerRead} holds. */
    public static long pointer(ContextRead read) {
        return ByteBuffer.wrap(read.buffer(), read.offset(), 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The current task of the CPU whose kernel GS base is {@code gsBase} (one read, then {@link #identity}). */
    public TaskIdentity current(long gsBase) {
        ContextRead read = pointerRead(gsBase);
        memory.readAll(List.of(read));
        return identity(pointer(read));
    }

    /**
     * Who the task at {@code task} is.
     *
     * @throws GuestAccessException when the pointer is implausible or the task unreadable
     */
    public TaskIdentity identity(long task) {
        if (!KernelPointers.isPlausible(task, addressBits, 8)) {
            throw new GuestAccessException("current task pointer " + Gva.of(task) + " is not a kernel pointer");
        }
        ReadPlan.Block block = identityPlan.read(memory, Gva.of(task));
        long parent = block.u64(layout.realParent());
        long cred = block.u64(layout.realCred());
        int ppid = -1;
        long uid = -1;
        ContextRead parentTgid = KernelPointers.isPlausible(parent, addressBits, 8)
                ? ContextRead.of(AccessContext.kernel(Gva.of(parent + layout.tgid())), 4) : null;
        ContextRead credUid = KernelPointers.isPlausible(cred, addressBits, 8)
                ? ContextRead.of(AccessContext.kernel(Gva.of(cred + layout.credUid())), 4) : null;
        List<ContextRead> reads = java.util.stream.Stream.of(parentTgid, credUid)
                .filter(java.util.Objects::nonNull).toList();
        try {
            memory.readAll(reads);
            ppid = parentTgid == null ? -1 : u32(parentTgid);
            uid = credUid == null ? -1 : Integer.toUnsignedLong(u32(credUid));
        } catch (GuestAccessException e) {
            // identity stays usable with unknown parent and uid
        }
        return new TaskIdentity(Gva.of(task), block.u32(layout.pid()), block.u32(layout.tgid()), ppid, uid,
                GuestStrings.cString(block.bytes(layout.comm(), layout.commBytes()), 0, layout.commBytes()));
    }

    private static int u32(ContextRead read) {
        return ByteBuffer.wrap(read.buffer()).order(ByteOrder.LITTLE_ENDIAN).getInt(read.offset());
    }
}
