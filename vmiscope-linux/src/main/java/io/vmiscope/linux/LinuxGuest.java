package io.vmiscope.linux;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestConnection;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.cpu.CpuTimeReader;
import io.vmiscope.linux.integrity.CheckOutcome;
import io.vmiscope.linux.integrity.IntegrityCheck;
import io.vmiscope.linux.integrity.IntegrityChecks;
import io.vmiscope.linux.integrity.KernelAccess;
import io.vmiscope.linux.module.ModuleInfo;
import io.vmiscope.linux.module.ModuleWalker;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.syscall.SyscallTable;
import io.vmiscope.linux.task.AddressSpaces;
import io.vmiscope.linux.task.CurrentTaskReader;
import io.vmiscope.linux.task.ProcessInfo;
import io.vmiscope.linux.task.TaskWalker;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.linux.walk.WalkPacer;
import io.vmiscope.linux.walk.WalkResult;
import io.vmiscope.x86.GuestMemory;
import io.vmiscope.x86.PagingMode;

import java.util.List;
import java.util.function.Supplier;

/**
 * A running Linux guest, attached through a {@link GuestConnection} and described by a kernel profile.
 * Every read happens with the VM stopped: a method that finds the VM running pauses it and resumes it
 * before returning, even on failure. Not thread-safe; the connection stays owned by the caller.
 */
public final class LinuxGuest {

    private final GuestConnection connection;
    private final KernelProfile profile;
    private final GuestMemory memory;
    private final KernelLocation location;
    private final TaskWalker tasks;
    /** Built on first use, like the module walker: only tracing needs current_task. */
    private CurrentTaskReader currentTasks;
    private SyscallTable syscalls;
    /** Built on first use: only the CPU-time probe needs it. */
    private CpuTimeReader cpuTimes;
    private final WalkLimits limits;
    /** Built on first use: a kernel whose module layout is unsupported can still list processes. */
    private ModuleWalker modules;

    private LinuxGuest(GuestConnection connection, KernelProfile profile, GuestMemory memory,
                       KernelLocation location, WalkLimits limits) {
        this.connection = connection;
        this.profile = profile;
        this.memory = memory;
        this.location = location;
        this.tasks = new TaskWalker(memory, profile, location.slide(), limits,
                connection.preferredChunkBytes());
        this.limits = limits;
    }

    /**
     * Finds the kernel in the guest (see {@link KernelLocator}).
     *
     * @throws io.vmiscope.linux.symbols.ProfileException when the profile does not fit the guest
     */
    public static LinuxGuest attach(GuestConnection connection, KernelProfile profile, WalkLimits limits) {
        return stopped(connection, null, () -> {
            int vcpu = connection.vcpus().get(0);
            PagingMode mode = PagingMode.fromCr4(connection.register(vcpu, "cr4"));
            GuestMemory memory = new GuestMemory(connection, connection.register(vcpu, "cr3"), mode);
            KernelLocation location = KernelLocator.locate(memory, connection, profile);
            memory.keepAcrossRuns(StableKernelPages.of(memory, profile, location.slide()));
            return new LinuxGuest(connection, profile, memory, location, limits);
        });
    }

    public KernelLocation location() {
        return location;
    }

    public KernelProfile profile() {
        return profile;
    }

    /**
     * Reads guest memory by access context. Valid while the VM is stopped; call
     * {@link #invalidateCaches()} whenever the VM has run since the last read.
     */
    public GuestMemory memory() {
        return memory;
    }

    /**
     * The system calls this kernel implements, read from the profile once: every syscall action built on this
     * guest shares it (the budget planner builds many variants of one request, and a table is a scan of every
     * kernel symbol). Any thread.
     */
    public synchronized SyscallTable syscalls() {
        if (syscalls == null) {
            syscalls = SyscallTable.fromProfile(profile);
        }
        return syscalls;
    }

    /** Reads which task runs on a stopped vCPU, and who a task is. */
    public CurrentTaskReader currentTasks() {
        if (currentTasks == null) {
            currentTasks = new CurrentTaskReader(memory, profile, connection.preferredChunkBytes());
        }
        return currentTasks;
    }

    /** Reads the guest kernel's CPU accounting (busy time per CPU). */
    public CpuTimeReader cpuTimes() {
        if (cpuTimes == null) {
            cpuTimes = new CpuTimeReader(memory, profile, location.slide(), connection.vcpus().size());
        }
        return cpuTimes;
    }

    /**
     * Call whenever the VM has run: cached translations are confirmed before their next use (the guest
     * may have changed its page tables), except those of the direct map and the kernel image.
     */
    public void invalidateCaches() {
        memory.invalidate();
    }

    /** The runtime address of a profile symbol. */
    public long address(String symbol) {
        return profile.symbol(symbol) + location.slide();
    }

    /** The process list now (the VM is paused for the walk if it was running). */
    public WalkResult<ProcessInfo> processes() {
        return processes(WalkPacer.PAUSED);
    }

    /** The process list, with {@code pacer} called between tasks (e.g. to let the VM run: an unpaused walk). */
    public WalkResult<ProcessInfo> processes(WalkPacer pacer) {
        return stopped(connection, memory, () -> tasks.walk(pacer));
    }

    /** Most bytes {@link #readProcessMemory} returns in one call. */
    public static final int MAX_PROCESS_READ_BYTES = 16 << 20;

    /**
     * Reads {@code length} bytes of process {@code pid}'s memory at {@code address}, through that
     * process's own page tables (the VM is paused for the read if it was running).
     *
     * @throws IllegalArgumentException when no such process is on the task list, or the length is out of range
     * @throws io.vmiscope.api.GuestAccessException when the range is not mapped
     */
    public byte[] readProcessMemory(int pid, Gva address, int length) {
        if (length <= 0 || length > MAX_PROCESS_READ_BYTES) {
            throw new IllegalArgumentException("length must be 1.." + MAX_PROCESS_READ_BYTES + " bytes, not " + length);
        }
        return stopped(connection, memory, () -> {
            ProcessInfo process = tasks.walk().items().stream().filter(p -> p.tgid() == pid).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no process with pid " + pid + " on the task list"));
            long root = new AddressSpaces(memory, profile).pageTableRoot(process.task());
            return memory.read(AccessContext.process(address, root), length);
        });
    }

    /** The loaded kernel modules now (the VM is paused for the walk if it was running). */
    public WalkResult<ModuleInfo> modules() {
        if (modules == null) {
            modules = new ModuleWalker(memory, profile, location.slide(), limits, connection.preferredChunkBytes());
        }
        return stopped(connection, memory, modules::walk);
    }

    /**
     * The integrity checks {@code ids} names (every check for an empty list), built for this kernel.
     *
     * @throws IllegalArgumentException for an unknown id
     * @throws io.vmiscope.linux.symbols.ProfileException when this kernel lacks what a check needs
     */
    public List<IntegrityCheck> integrityChecks(List<String> ids) {
        return IntegrityChecks.build(ids, new KernelAccess(memory, profile, location.slide(), limits,
                connection.preferredChunkBytes(), connection.vcpus().size()));
    }

    /** Runs each check once, in order (the VM is paused for the runs if it was running). */
    public List<CheckOutcome> runChecks(List<IntegrityCheck> checks) {
        return stopped(connection, memory, () -> IntegrityChecks.runAll(checks));
    }

    /** Runs {@code work} with the VM stopped; resumes it afterwards if it was running before. */
    private static <T> T stopped(GuestConnection connection, GuestMemory memory, Supplier<T> work) {
        boolean wasRunning = !connection.isPaused();
        if (wasRunning) {
            connection.pause();
        }
        try {
            if (memory != null) {
                memory.invalidate(); // whatever was cached before the VM last ran is stale
            }
            return work.get();
        } finally {
            if (wasRunning) {
                connection.resume();
            }
        }
    }
}
