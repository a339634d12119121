package io.vmiscope.linux.task;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.task.CommandLineReader.CommandLine;
import io.vmiscope.linux.walk.Anomaly;
import io.vmiscope.linux.walk.GuestStrings;
import io.vmiscope.linux.walk.KernelPointers;
import io.vmiscope.linux.walk.ReadPlan;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.linux.walk.WalkPacer;
import io.vmiscope.linux.walk.WalkResult;
import io.vmiscope.x86.GuestMemory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the process list by walking the kernel's task list from {@code init_task}, the way
 * {@code for_each_process} does. The VM must be stopped while {@link #walk()} runs (the caller pauses
 * it). Not thread-safe.
 *
 * <p>Guest memory is hostile: every pointer is checked before it is followed, the walk keeps a visited
 * set and a node limit, and any fault ends the walk with a marked, partial result instead of an
 * exception.
 *
 * <p>Cost, in round trips to the hypervisor: one per task while following the list (each step needs
 * the previous {@code next} pointer, and the task's fields go in one batch), then one batch for every
 * credential, one for every {@code mm_struct}, the page-table walks of each user process's argv, and
 * one batch for all argv bytes (plus one for the rewritten titles that run on into the environment area,
 * see {@link CommandLineReader}).
 */
public final class TaskWalker {

    private static final char[] STATE_LETTERS = "RSDTtXZPI".toCharArray();
    private static final int TASK_REPORT = 0x7f;
    private static final int TASK_IDLE = 0x402;
    private static final int PID_MAX_LIMIT = 4 * 1024 * 1024;

    private final GuestMemory memory;
    private final TaskLayout layout;
    private final long initTask;
    private final WalkLimits limits;
    private final int addressBits;
    private final ReadPlan taskPlan;
    private final ReadPlan credPlan;
    private final ReadPlan mmPlan;
    private final CommandLineReader commandLines;

    /**
     * @param slide         the KASLR slide found at attach time (added to profile addresses)
     * @param maxReadBytes  the transport's largest single read, so that nearby fields share one read
     * @throws io.vmiscope.linux.symbols.ProfileException when the profile lacks a needed symbol or member
     */
    public TaskWalker(GuestMemory memory, KernelProfile profile, long slide, WalkLimits limits, int maxReadBytes) {
        this.memory = memory;
        this.layout = TaskLayout.from(profile);
        this.initTask = profile.symbol("init_task") + slide;
        this.limits = limits;
        this.addressBits = memory.mode().virtualAddressBits();
        this.taskPlan = ReadPlan.builder(maxReadBytes)
                .field(layout.tasks(), 16).field(layout.pid(), 4).field(layout.tgid(), 4)
                .field(layout.comm(), layout.commBytes()).field(layout.realParent(), 8)
                .field(layout.realCred(), 8).field(layout.mm(), 8).field(layout.flags(), 4)
                .field(layout.state(), 4).field(layout.exitState(), 4).field(layout.startTime(), 8).build();
        this.credPlan = ReadPlan.builder(maxReadBytes).field(layout.credUid(), 4).field(layout.credGid(), 4).build();
        this.mmPlan = ReadPlan.builder(maxReadBytes)
                .field(layout.mmPgd(), 8).field(layout.mmArgStart(), 8).field(layout.mmArgEnd(), 8)
                .field(layout.mmEnvStart(), 8).field(layout.mmEnvEnd(), 8).build();
        this.commandLines = new CommandLineReader(memory, limits.maxArgvBytes());
    }

    /** Walks the task list once with the VM stopped throughout. */
    public WalkResult<ProcessInfo> walk() {
        return walk(WalkPacer.PAUSED);
    }

    /**
     * Walks the task list once, calling {@code pacer} between tasks. Never throws for bad guest data;
     * transport failures propagate.
     */
    public WalkResult<ProcessInfo> walk(WalkPacer pacer) {
        List<Anomaly> anomalies = new ArrayList<>();
        List<RawTask> raw = new ArrayList<>();
        boolean truncated = readList(raw, anomalies, pacer);

        Map<Long, Integer> tgidByTask = new HashMap<>();
        raw.forEach(t -> tgidByTask.put(t.address, t.tgid));
        // the idle task is not a process: /proc does not list it either
        List<RawTask> tasks = raw.stream().filter(t -> t.pid != 0).toList();
        Map<Long, ReadPlan.Block> creds = readCredentials(tasks, anomalies);
        Map<Long, CommandLine> argvs = readCommandLines(tasks, anomalies);
        List<ProcessInfo> processes = new ArrayList<>();
        for (RawTask t : tasks) {
            processes.add(complete(t, tgidByTask, creds.get(t.realCred), argvs.get(t.address), anomalies));
        }
        return new WalkResult<>(processes, anomalies, truncated);
    }

    /** First pass: follow {@code tasks.next} and read each task's own fields. Returns true when cut short. */
    private boolean readList(List<RawTask> out, List<Anomaly> anomalies, WalkPacer pacer) {
        Set<Long> visited = new HashSet<>();
        long current = initTask;
        long expectedPrev = -1;
        while (true) {
            if (out.size() >= limits.maxNodes()) {
                anomalies.add(new Anomaly(Anomaly.Kind.LIMIT, where(current),
                        "task list longer than " + limits.maxNodes() + " entries"));
                return true;
            }
            ReadPlan.Block block;
            try {
                block = taskPlan.read(memory, Gva.of(current));
            } catch (GuestAccessException e) {
                anomalies.add(new Anomaly(Anomaly.Kind.UNMAPPED, where(current), e.getMessage()));
                return true;
            }
            visited.add(current);
            long next = block.u64(layout.tasks());
            long prev = block.u64(layout.tasks() + 8);
            if (expectedPrev != -1 && prev != expectedPrev) {
                anomalies.add(new Anomaly(Anomaly.Kind.LIST_CORRUPTION, where(current),
                        "tasks.prev is " + Gva.of(prev) + ", expected " + Gva.of(expectedPrev)));
            }
            out.add(RawTask.from(current, block, layout));
            if (!KernelPointers.isPlausible(next, addressBits, 8)) {
                anomalies.add(new Anomaly(Anomaly.Kind.WILD_POINTER, where(current),
                        "tasks.next is " + Gva.of(next)));
                return true;
            }
            long nextTask = next - layout.tasks();
            if (nextTask == initTask) {
                return false;
            }
            if (visited.contains(nextTask)) {
                anomalies.add(new Anomaly(Anomaly.Kind.CYCLE, where(current),
                        "tasks.next leads back to " + Gva.of(nextTask) + " without reaching init_task"));
                return true;
            }
            expectedPrev = current + layout.tasks();
            current = nextTask;
            pacer.betweenSteps();
        }
    }

    /** Second pass: what lives outside the task_struct (parent, credentials, command line). */
    private ProcessInfo complete(RawTask t, Map<Long, Integer> tgidByTask, ReadPlan.Block cred, CommandLine argv,
                                 List<Anomaly> anomalies) {
        if (t.pid < 0 || t.pid > PID_MAX_LIMIT || t.tgid < 0 || t.tgid > PID_MAX_LIMIT) {
            anomalies.add(new Anomaly(Anomaly.Kind.IMPLAUSIBLE, where(t.address),
                    "pid " + t.pid + " / tgid " + t.tgid + " outside 0.." + PID_MAX_LIMIT));
        }
        int ppid = parentTgid(t, tgidByTask, anomalies);
        long uid = cred == null ? -1 : Integer.toUnsignedLong(cred.u32(layout.credUid()));
        long gid = cred == null ? -1 : Integer.toUnsignedLong(cred.u32(layout.credGid()));
        boolean kernelThread = isKernelThread(t);
        CommandLine args = argv == null ? (hasAddressSpace(t) ? CommandLine.UNREADABLE : CommandLine.NONE) : argv;
        return new ProcessInfo(Gva.of(t.address), t.pid, t.tgid, ppid, t.comm, uid, gid, t.startTime,
                stateLetter(t.state | t.exitState, t.state), kernelThread, args.args(), args.complete());
    }

    private static boolean isKernelThread(RawTask t) {
        return (t.flags & TaskLayout.PF_KTHREAD) != 0;
    }

    private static boolean hasAddressSpace(RawTask t) {
        return !isKernelThread(t) && t.mm != 0;
    }

    /** All credentials in one batch (kernel threads each carry their own copy, so there are many). */
    private Map<Long, ReadPlan.Block> readCredentials(List<RawTask> tasks, List<Anomaly> anomalies) {
        Map<Long, RawTask> owners = new LinkedHashMap<>();
        for (RawTask t : tasks) {
            if (KernelPointers.isPlausible(t.realCred, addressBits, 8)) {
                owners.putIfAbsent(t.realCred, t);
            } else {
                anomalies.add(new Anomaly(Anomaly.Kind.WILD_POINTER, where(t.address), "real_cred is " + Gva.of(t.realCred)));
            }
        }
        return readStructs(credPlan, owners, "real_cred", anomalies);
    }

    /** The mm_structs in one batch, then the command lines through each process's page tables. */
    private Map<Long, CommandLine> readCommandLines(List<RawTask> tasks, List<Anomaly> anomalies) {
        Map<Long, RawTask> owners = new LinkedHashMap<>();
        for (RawTask t : tasks) {
            if (!hasAddressSpace(t)) {
                continue;
            }
            if (KernelPointers.isPlausible(t.mm, addressBits, 8)) {
                owners.putIfAbsent(t.mm, t);
            } else {
                anomalies.add(new Anomaly(Anomaly.Kind.WILD_POINTER, where(t.address), "mm is " + Gva.of(t.mm)));
            }
        }
        Map<Long, ReadPlan.Block> mms = readStructs(mmPlan, owners, "mm", anomalies);
        Map<Long, CommandLineReader.Area> areas = new LinkedHashMap<>();
        for (RawTask t : tasks) {
            ReadPlan.Block mm = mms.get(t.mm);
            if (mm == null || !hasAddressSpace(t)) {
                continue;
            }
            long pgd = mm.u64(layout.mmPgd());
            long start = mm.u64(layout.mmArgStart());
            long end = mm.u64(layout.mmArgEnd());
            if (end < start) {
                anomalies.add(new Anomaly(Anomaly.Kind.IMPLAUSIBLE, where(t.address),
                        "arg_end " + Gva.of(end) + " below arg_start " + Gva.of(start)));
                continue;
            }
            // an empty range happens between exec stages; a kernel-half range is not a user command line
            if (end == start || Gva.of(start).isKernelHalf() || !Gva.of(end).isCanonical(addressBits)) {
                continue;
            }
            if (!KernelPointers.isPlausible(pgd, addressBits, 4096)) {
                anomalies.add(new Anomaly(Anomaly.Kind.WILD_POINTER, where(t.address), "mm->pgd is " + Gva.of(pgd)));
                continue;
            }
            try {
                long cr3 = memory.translate(AccessContext.kernel(Gva.of(pgd))).gpa().value();
                areas.put(t.address, new CommandLineReader.Area(cr3, start, end, mm.u64(layout.mmEnvStart()),
                        mm.u64(layout.mmEnvEnd())));
            } catch (GuestAccessException e) {
                anomalies.add(new Anomaly(Anomaly.Kind.UNMAPPED, where(t.address), "mm->pgd: " + e.getMessage()));
            }
        }
        return commandLines.read(areas);
    }

    /** One struct per address in one batch; when the batch fails, each alone, reporting the bad ones. */
    private Map<Long, ReadPlan.Block> readStructs(ReadPlan plan, Map<Long, RawTask> owners, String member,
                                                  List<Anomaly> anomalies) {
        List<Long> addresses = List.copyOf(owners.keySet());
        Map<Long, ReadPlan.Block> blocks = new HashMap<>();
        try {
            List<ReadPlan.Block> read = plan.readAll(memory, addresses.stream().map(Gva::of).toList());
            for (int i = 0; i < addresses.size(); i++) {
                blocks.put(addresses.get(i), read.get(i));
            }
        } catch (GuestAccessException batchFailed) {
            for (long address : addresses) {
                try {
                    blocks.put(address, plan.read(memory, Gva.of(address)));
                } catch (GuestAccessException e) {
                    anomalies.add(new Anomaly(Anomaly.Kind.UNMAPPED, where(owners.get(address).address),
                            member + ": " + e.getMessage()));
                }
            }
        }
        return blocks;
    }

    private int parentTgid(RawTask t, Map<Long, Integer> tgidByTask, List<Anomaly> anomalies) {
        Integer known = tgidByTask.get(t.realParent);
        if (known != null) {
            return known;
        }
        // A parent that is not on the task list is either a thread (not a group leader) or hidden.
        if (!KernelPointers.isPlausible(t.realParent, addressBits, 8)) {
            anomalies.add(new Anomaly(Anomaly.Kind.WILD_POINTER, where(t.address),
                    "real_parent is " + Gva.of(t.realParent)));
            return -1;
        }
        try {
            return memory.readU32(AccessContext.kernel(Gva.of(t.realParent + layout.tgid())));
        } catch (GuestAccessException e) {
            anomalies.add(new Anomaly(Anomaly.Kind.UNMAPPED, where(t.address), "real_parent: " + e.getMessage()));
            return -1;
        }
    }

    /** The letter /proc shows, after the kernel's {@code __task_state_index()}. */
    static char stateLetter(int reportState, int rawState) {
        if (rawState == TASK_IDLE) {
            return 'I';
        }
        int state = reportState & TASK_REPORT;
        int index = 32 - Integer.numberOfLeadingZeros(state); // fls()
        return STATE_LETTERS[Math.min(index, STATE_LETTERS.length - 1)];
    }

    private static String where(long task) {
        return "task " + Gva.of(task);
    }

    /** A task's own fields, read in the first pass. */
    private record RawTask(long address, int pid, int tgid, String comm, long realParent, long realCred, long mm,
                           int flags, int state, int exitState, long startTime) {
        static RawTask from(long address, ReadPlan.Block b, TaskLayout l) {
            return new RawTask(address, b.u32(l.pid()), b.u32(l.tgid()),
                    GuestStrings.cString(b.bytes(l.comm(), l.commBytes()), 0, l.commBytes()),
                    b.u64(l.realParent()), b.u64(l.realCred()), b.u64(l.mm()), b.u32(l.flags()),
                    b.u32(l.state()), b.u32(l.exitState()), b.u64(l.startTime()));
        }
    }
}
