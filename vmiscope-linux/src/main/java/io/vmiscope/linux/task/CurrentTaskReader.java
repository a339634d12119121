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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the task running on a vCPU that stopped in the kernel: x86-64 Linux keeps it in the per-CPU
 * variable {@code current_task} (kernels ≥ 6.2: {@code pcpu_hot.current_task}), and in kernel mode
 * {@code GS_BASE} points at the CPU's per-CPU area. Not thread-safe; valid while the VM is stopped.
 *
 * <p>Cost: the chain is pointer → task fields → parent's tgid and credentials, three dependent reads.
 * The reader remembers addresses, never values: which task each CPU ran at its last lookup, and each
 * task's {@code real_parent} and {@code real_cred} pointers. A {@link #lookup} speculatively reads that
 * task's fields and, at the remembered pointers, its parent's tgid and its uid, in the same batch as the
 * per-CPU pointer (and the caller's own reads). The speculative values are used only when the pointers
 * read in that very batch equal the remembered ones — the VM is stopped, so they were read from the
 * right places at the same moment — so a task that exec'd, exited or whose pid was reused is never
 * reported stale: it costs the dependent reads again instead. Same task as last time: one round trip.
 */
public final class CurrentTaskReader {

    /** Most tasks whose parent and credential pointers are remembered. */
    static final int REMEMBERED_TASKS = 4096;
    /** Most CPUs (per-CPU areas) whose last task is remembered. */
    static final int REMEMBERED_CPUS = 1024;

    private final GuestMemory memory;
    private final TaskLayout layout;
    private final long perCpuOffset;
    private final int addressBits;
    private final ReadPlan identityPlan;
    private final Map<Long, Long> lastTaskByPerCpuArea = new HashMap<>();
    private final Map<Long, Links> linksByTask = new HashMap<>();

    private record Links(long parent, long cred) {
    }

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

    /** The current task of the CPU whose kernel GS base is {@code gsBase} (see {@link #lookup}). */
    public TaskIdentity current(long gsBase) {
        Lookup lookup = lookup(gsBase);
        return lookup.finish(memory.readEach(lookup.reads()), 0);
    }

    /**
     * The reads that find the current task of the CPU whose kernel GS base is {@code gsBase}, to be sent
     * in one batch (with the caller's reads, if any); then {@link Lookup#finish} gives the identity.
     */
    public Lookup lookup(long gsBase) {
        Long guess = lastTaskByPerCpuArea.get(gsBase);
        return new Lookup(gsBase, pointerRead(gsBase), guess == null ? null : attempt(guess));
    }

    /**
     * Who the task at {@code task} is (one round trip when the task was seen before, else two).
     *
     * @throws GuestAccessException when the pointer is implausible or the task unreadable
     */
    public TaskIdentity identity(long task) {
        Attempt attempt = attempt(task);
        return attempt.finish(memory.readEach(attempt.reads()), 0);
    }

    /** The current-task reads of one stop: the per-CPU pointer and a guess at the task it holds. */
    public final class Lookup {
        private final long gsBase;
        private final ContextRead pointer;
        private final Attempt guess;

        private Lookup(long gsBase, ContextRead pointer, Attempt guess) {
            this.gsBase = gsBase;
            this.pointer = pointer;
            this.guess = guess;
        }

        /** The reads to send, in this order. */
        public List<ContextRead> reads() {
            if (guess == null) {
                return List.of(pointer);
            }
            List<ContextRead> reads = new ArrayList<>(1 + guess.reads().size());
            reads.add(pointer);
            reads.addAll(guess.reads());
            return reads;
        }

        /**
         * The identity, once {@link #reads()} were sent; reads more only when the guess was wrong.
         *
         * @param failures the batch's failures by index; {@code first} is the index of this lookup's first read
         * @throws GuestAccessException when the pointer or the task is unreadable or implausible
         */
        public TaskIdentity finish(Map<Integer, GuestAccessException> failures, int first) {
            GuestAccessException failed = failures.get(first);
            if (failed != null) {
                throw failed;
            }
            long task = pointer(pointer);
            if (lastTaskByPerCpuArea.size() >= REMEMBERED_CPUS) {
                lastTaskByPerCpuArea.clear(); // a guest with absurd GS bases gets no guesses, nothing worse
            }
            lastTaskByPerCpuArea.put(gsBase, task);
            if (guess != null && guess.task == task) {
                return guess.finish(failures, first + 1);
            }
            return identity(task);
        }
    }

    /** Reads of one task's identity: its fields, and speculatively what its remembered pointers lead to. */
    private Attempt attempt(long task) {
        if (!KernelPointers.isPlausible(task, addressBits, 8)) {
            throw new GuestAccessException("current task pointer " + Gva.of(task) + " is not a kernel pointer");
        }
        return new Attempt(task, identityPlan.prepare(Gva.of(task)), linksByTask.get(task));
    }

    private final class Attempt {
        final long task;
        final ReadPlan.Prepared fields;
        final Links remembered;
        final ContextRead parentTgid;
        final ContextRead credUid;

        Attempt(long task, ReadPlan.Prepared fields, Links links) {
            this.task = task;
            this.fields = fields;
            ContextRead tgid = links == null ? null : tgidRead(links.parent());
            ContextRead uid = links == null ? null : uidRead(links.cred());
            boolean speculate = tgid != null && uid != null;
            this.remembered = speculate ? links : null;
            this.parentTgid = speculate ? tgid : null;
            this.credUid = speculate ? uid : null;
        }

        List<ContextRead> reads() {
            List<ContextRead> reads = new ArrayList<>(fields.reads());
            if (remembered != null) {
                reads.add(parentTgid);
                reads.add(credUid);
            }
            return reads;
        }

        TaskIdentity finish(Map<Integer, GuestAccessException> failures, int first) {
            int count = fields.reads().size();
            for (int i = first; i < first + count; i++) {
                if (failures.containsKey(i)) {
                    throw failures.get(i);
                }
            }
            ReadPlan.Block block = fields.block();
            long parent = block.u64(layout.realParent());
            long cred = block.u64(layout.realCred());
            if (linksByTask.size() >= REMEMBERED_TASKS) {
                linksByTask.clear(); // hints only: forgetting them costs a round trip, never a wrong value
            }
            linksByTask.put(task, new Links(parent, cred));
            boolean confirmed = remembered != null && remembered.parent() == parent && remembered.cred() == cred
                    && !failures.containsKey(first + count) && !failures.containsKey(first + count + 1);
            int ppid;
            long uid;
            if (confirmed) {
                ppid = u32(parentTgid);
                uid = Integer.toUnsignedLong(u32(credUid));
            } else {
                ContextRead tgid = tgidRead(parent);
                ContextRead id = uidRead(cred);
                List<ContextRead> reads = java.util.stream.Stream.of(tgid, id).filter(java.util.Objects::nonNull).toList();
                Map<Integer, GuestAccessException> failed = memory.readEach(reads);
                // identity stays usable with an unknown parent or uid
                ppid = tgid == null || failed.containsKey(reads.indexOf(tgid)) ? -1 : u32(tgid);
                uid = id == null || failed.containsKey(reads.indexOf(id)) ? -1 : Integer.toUnsignedLong(u32(id));
            }
            return new TaskIdentity(Gva.of(task), block.u32(layout.pid()), block.u32(layout.tgid()), ppid, uid,
                    GuestStrings.cString(block.bytes(layout.comm(), layout.commBytes()), 0, layout.commBytes()));
        }
    }

    private ContextRead tgidRead(long parent) {
        return KernelPointers.isPlausible(parent, addressBits, 8)
                ? ContextRead.of(AccessContext.kernel(Gva.of(parent + layout.tgid())), 4) : null;
    }

    private ContextRead uidRead(long cred) {
        return KernelPointers.isPlausible(cred, addressBits, 8)
                ? ContextRead.of(AccessContext.kernel(Gva.of(cred + layout.credUid())), 4) : null;
    }

    private static int u32(ContextRead read) {
        return ByteBuffer.wrap(read.buffer()).order(ByteOrder.LITTLE_ENDIAN).getInt(read.offset());
    }
}
