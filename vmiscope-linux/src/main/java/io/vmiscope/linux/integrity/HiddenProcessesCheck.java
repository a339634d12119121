package io.vmiscope.linux.integrity;

import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.symbols.StructMember;
import io.vmiscope.linux.task.CurrentTaskReader;
import io.vmiscope.linux.task.TaskIdentity;
import io.vmiscope.linux.walk.Anomaly;
import io.vmiscope.linux.walk.KernelPointers;
import io.vmiscope.linux.walk.ReadPlan;
import io.vmiscope.linux.walk.WalkResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code hidden-processes}: the processes on the task list ({@code init_task.tasks}, what {@code ps} and
 * {@code for_each_process} see) against three other views — the pid allocator's tree ({@code init_pid_ns.idr},
 * what {@code /proc} and {@code kill} resolve pids through), the parent/child lists ({@code children} and
 * {@code sibling}, walked from {@code init_task}) and what each CPU's run queue runs ({@code rq->curr}). A
 * process in one view and missing from the task list, the pid tree or the children lists is reported with every
 * field of its {@code task_struct} that can be read. Processes with an exiting task ({@code PF_EXITING}) are
 * left out: the kernel unlinks those from the views one after another.
 *
 * <p>Cost in round trips: one per task on the task list and one per child on the children lists (each step
 * needs the previous pointer), one batch per level of the pid tree, one for the pids' tasks, two for the CPUs,
 * one per generation of the process tree for the children lists' heads and one for every task's fields.
 */
public final class HiddenProcessesCheck implements IntegrityCheck {

    public static final String ID = "hidden-processes";
    static final String PID_TREE = "pid allocator (init_pid_ns.idr)";
    static final String CHILDREN = "children lists";
    static final String RUN_QUEUES = "CPU run queues (rq->curr)";
    /** {@code PF_EXITING} in include/linux/sched.h. */
    private static final int PF_EXITING = 0x4;

    private final KernelAccess kernel;
    private final KernelWords words;
    private final TaskList taskList;
    private final long initTask;
    private final long children;
    private final long sibling;
    private final long pidLinks;
    private final long pidTasks;
    private final long idrHead;
    private final long perCpuOffsets;
    private final long rqCurr;
    private final long pid;
    private final long tgid;
    private final StringField comm;
    private final long flags;
    private final long exitState;
    private final PidTree pidTree;
    private final ReadPlan taskPlan;
    private final CurrentTaskReader identities;

    /** @throws ProfileException when the profile lacks a symbol or member a view needs */
    public HiddenProcessesCheck(KernelAccess kernel) {
        this.kernel = kernel;
        this.words = kernel.words();
        var profile = kernel.profile();
        StructLayout task = profile.struct("task_struct");
        this.taskList = TaskList.of(kernel, task);
        this.initTask = taskList.initTask();
        this.children = task.offsetOf("children");
        this.sibling = task.offsetOf("sibling");
        this.pidLinks = task.offsetOf("pid_links"); // pid_links[PIDTYPE_PID], PIDTYPE_PID = 0
        this.pidTasks = profile.offset("pid", "tasks"); // tasks[PIDTYPE_PID].first
        this.idrHead = kernel.address("init_pid_ns") + profile.offset("pid_namespace", "idr")
                + profile.offset("idr", "idr_rt") + profile.offset("xarray", "xa_head");
        this.perCpuOffsets = kernel.address("__per_cpu_offset");
        this.rqCurr = profile.symbol("runqueues") + profile.offset("rq", "curr"); // per-CPU: an offset, not slid
        this.pid = task.offsetOf("pid");
        this.tgid = task.offsetOf("tgid");
        this.comm = StringField.of(task, "comm", kernel.limits());
        this.flags = task.offsetOf("flags");
        this.exitState = task.offsetOf("exit_state");
        StructLayout node = profile.struct("xa_node");
        StructMember slots = node.member("slots")
                .orElseThrow(() -> new ProfileException("struct xa_node has no member 'slots'"));
        this.pidTree = new PidTree(node.offsetOf("shift"), slots.offsetBytes(), (int) (slots.sizeBits() / 64));
        this.taskPlan = comm.addTo(ReadPlan.builder(kernel.maxReadBytes()).field(pid, 4).field(tgid, 4))
                .field(flags, 4).field(exitState, 4).build();
        this.identities = new CurrentTaskReader(kernel.memory(), profile, kernel.maxReadBytes());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CheckOutcome run() {
        List<Anomaly> anomalies = new ArrayList<>();
        int bits = kernel.addressBits();
        WalkResult<Long> list = taskList.walk(kernel, words);
        anomalies.addAll(list.anomalies());
        int before = anomalies.size();
        Map<Long, String> byPid = pidTreeTasks(anomalies, bits);
        boolean pidsComplete = anomalies.size() == before;
        Map<Long, Integer> cpuOf = runningTasks(anomalies, bits);
        Set<Long> seeds = new LinkedHashSet<>(List.of(initTask));
        seeds.addAll(list.items());
        seeds.addAll(byPid.keySet());
        seeds.addAll(cpuOf.keySet());
        before = anomalies.size();
        Map<Long, Long> parentOf = childrenTasks(seeds, anomalies, bits);
        boolean childrenComplete = anomalies.size() == before;

        Set<Long> all = new LinkedHashSet<>(list.items());
        all.addAll(byPid.keySet());
        all.addAll(parentOf.keySet());
        all.addAll(cpuOf.keySet());
        all.addAll(parentOf.values());
        Map<Long, Task> read = readTasks(all, anomalies);

        Map<Integer, Set<Long>> inList = processes(list.items(), read);
        Map<Integer, Set<Long>> inPids = processes(byPid.keySet(), read);
        Map<Integer, Set<Long>> inChildren = processes(parentOf.keySet(), read);
        Map<Integer, Set<Long>> onCpu = processes(cpuOf.keySet(), read);
        boolean listComplete = !list.truncated();
        Set<Integer> seen = new TreeSet<>(inList.keySet());
        seen.addAll(inPids.keySet());
        seen.addAll(inChildren.keySet());
        seen.addAll(onCpu.keySet());
        List<IntegrityFinding> findings = new ArrayList<>();
        for (int process : seen) {
            if (exiting(process, read, inList, inPids, inChildren, onCpu)) {
                continue;
            }
            // a view whose walk was cut short or met a fault proves no absence
            boolean missing = (listComplete && !inList.containsKey(process))
                    || (pidsComplete && !inPids.containsKey(process))
                    || (childrenComplete && !inChildren.containsKey(process));
            if (!missing) {
                continue;
            }
            Map<String, String> views = new LinkedHashMap<>();
            views.put(TaskList.VIEW, inList.containsKey(process) ? "listed" : "absent");
            views.put(PID_TREE, inPids.containsKey(process) ? "pid " + process + " → task "
                    + Gva.of(inPids.get(process).iterator().next()) : "absent");
            views.put(CHILDREN, inChildren.containsKey(process) ? "child of pid "
                    + parentName(parentOf.get(inChildren.get(process).iterator().next()), read) : "absent");
            views.put(RUN_QUEUES, onCpu.containsKey(process) ? "running on CPU "
                    + cpuOf.get(onCpu.get(process).iterator().next()) : "not running");
            long address = leader(process, read, inList, inPids, inChildren, onCpu);
            views.put("task_struct " + Gva.of(address), describe(address, read.get(address)));
            Task t = read.get(address);
            List<String> absent = views.entrySet().stream().filter(e -> e.getValue().equals("absent"))
                    .map(Map.Entry::getKey).toList();
            findings.add(new IntegrityFinding(ID, "pid " + process + " (" + t.comm + ")", process, t.comm,
                    "process " + process + " (" + t.comm + ") is missing from the " + String.join(" and the ", absent)
                            + " while other views show it", views, List.of("T1014")));
        }
        return new CheckOutcome(ID, findings, 4, anomalies);
    }

    /** Pid tree → {@code struct pid} → the task using it as its own pid. Task → where it was seen. */
    private Map<Long, String> pidTreeTasks(List<Anomaly> anomalies, int bits) {
        Map<Long, String> out = new LinkedHashMap<>();
        var head = words.word(idrHead);
        if (head.isEmpty()) {
            anomalies.add(new Anomaly(Anomaly.Kind.UNMAPPED, PID_TREE, "init_pid_ns.idr unreadable"));
            return out;
        }
        WalkResult<Long> pids = pidTree.walk(words, head.getAsLong(), kernel.limits(), bits);
        anomalies.addAll(pids.anomalies());
        List<Long> firsts = pids.items().stream().map(p -> p + pidTasks).toList();
        long[][] rows = words.read(firsts, 1);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) {
                anomalies.add(new Anomaly(Anomaly.Kind.UNMAPPED, PID_TREE, "struct pid " + Gva.of(pids.items().get(i))));
            } else if (rows[i][0] != 0) {
                long task = rows[i][0] - pidLinks;
                if (KernelPointers.isPlausible(task, bits, 8)) {
                    out.put(task, "struct pid " + Gva.of(pids.items().get(i)));
                } else {
                    anomalies.add(new Anomaly(Anomaly.Kind.WILD_POINTER, PID_TREE, "struct pid "
                            + Gva.of(pids.items().get(i)) + " names task " + Gva.of(task)));
                }
            }
        }
        return out;
    }

    /**
     * Every task on the children list of a known task (init_task and what the other views saw, threads included:
     * a thread that forks is its child's parent), and of those children in turn → its parent. One batch per
     * generation for the list heads; a walk only for the lists that are not empty.
     */
    private Map<Long, Long> childrenTasks(Set<Long> seeds, List<Anomaly> anomalies, int bits) {
        Map<Long, Long> parentOf = new LinkedHashMap<>();
        Set<Long> walked = new HashSet<>();
        List<Long> generation = new ArrayList<>(seeds);
        while (!generation.isEmpty()) {
            walked.addAll(generation);
            long[][] heads = words.read(generation.stream().map(t -> t + children).toList(), 1);
            List<Long> next = new ArrayList<>();
            for (int i = 0; i < heads.length; i++) {
                long parent = generation.get(i);
                if (heads[i] == null || heads[i][0] == parent + children) {
                    continue; // unreadable (the task view reports it) or no children
                }
                WalkResult<Long> kids = KernelList.walk(words, parent + children, sibling, kernel.limits(), bits,
                        "children of task " + Gva.of(parent));
                anomalies.addAll(kids.anomalies());
                for (long child : kids.items()) {
                    if (parentOf.size() >= kernel.limits().maxNodes()) {
                        anomalies.add(new Anomaly(Anomaly.Kind.LIMIT, CHILDREN, "more than "
                                + kernel.limits().maxNodes() + " tasks"));
                        return parentOf;
                    }
                    if (parentOf.putIfAbsent(child, parent) == null && !walked.contains(child)) {
                        next.add(child);
                    }
                }
            }
            generation = next;
        }
        return parentOf;
    }

    /** What each CPU's run queue runs now → the CPU. */
    private Map<Long, Integer> runningTasks(List<Anomaly> anomalies, int bits) {
        Map<Long, Integer> out = new HashMap<>();
        long[] bases = words.read(List.of(perCpuOffsets), kernel.cpus())[0];
        if (bases == null) {
            anomalies.add(new Anomaly(Anomaly.Kind.UNMAPPED, RUN_QUEUES, "__per_cpu_offset unreadable"));
            return out;
        }
        List<Long> currs = new ArrayList<>();
        for (long base : bases) {
            currs.add(base + rqCurr);
        }
        long[][] rows = words.read(currs, 1);
        for (int cpu = 0; cpu < rows.length; cpu++) {
            if (rows[cpu] == null || !KernelPointers.isPlausible(rows[cpu][0], bits, 8)) {
                anomalies.add(new Anomaly(Anomaly.Kind.WILD_POINTER, RUN_QUEUES, "rq->curr of CPU " + cpu));
            } else {
                out.putIfAbsent(rows[cpu][0], cpu);
            }
        }
        return out;
    }

    /** The fields of every readable task. */
    private Map<Long, Task> readTasks(Set<Long> addresses, List<Anomaly> anomalies) {
        Map<Long, Task> out = new HashMap<>();
        StructReads.read(kernel.memory(), taskPlan, List.copyOf(addresses), anomalies, "task").forEach((a, b) ->
                out.put(a, new Task(b.u32(pid), b.u32(tgid), comm.read(b), b.u32(flags), b.u32(exitState))));
        return out;
    }

    /** Tasks by process (tgid); the idle tasks (pid 0) are left out. */
    private static Map<Integer, Set<Long>> processes(Iterable<Long> addresses, Map<Long, Task> read) {
        Map<Integer, Set<Long>> out = new HashMap<>();
        for (long address : addresses) {
            Task t = read.get(address);
            if (t != null && t.pid != 0) {
                out.computeIfAbsent(t.tgid, k -> new LinkedHashSet<>()).add(address);
            }
        }
        return out;
    }

    /** Whether any task of the process that a view holds is exiting: the kernel unlinks those view by view. */
    @SafeVarargs
    private static boolean exiting(int process, Map<Long, Task> read, Map<Integer, Set<Long>>... views) {
        for (Map<Integer, Set<Long>> view : views) {
            for (long address : view.getOrDefault(process, Set.of())) {
                if ((read.get(address).flags & PF_EXITING) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The process's leader if any view holds it, else the first of its tasks any view holds. */
    @SafeVarargs
    private static long leader(int process, Map<Long, Task> read, Map<Integer, Set<Long>>... views) {
        Long any = null;
        for (Map<Integer, Set<Long>> view : views) {
            for (long address : view.getOrDefault(process, Set.of())) {
                if (read.get(address).pid == process) {
                    return address;
                }
                any = any == null ? address : any;
            }
        }
        return any;
    }

    private static String parentName(Long parent, Map<Long, Task> read) {
        Task t = parent == null ? null : read.get(parent);
        return t == null ? "? (task " + (parent == null ? "?" : Gva.of(parent)) + ")" : t.tgid + " (" + t.comm + ")";
    }

    /** Every field that can be read: the batch's, then parent and credentials through the identity reader. */
    private String describe(long address, Task t) {
        String more;
        try {
            TaskIdentity id = identities.identity(address);
            more = " ppid " + id.ppid() + " uid " + id.uid();
        } catch (GuestAccessException e) {
            more = " (parent and credentials unreadable)";
        }
        return "pid " + t.pid + " tgid " + t.tgid + " comm " + t.comm + more + " flags 0x" + Integer.toHexString(t.flags)
                + " exit_state " + t.exitState;
    }

    private record Task(int pid, int tgid, String comm, int flags, int exitState) {
    }
}
