package io.vmiscope.linux.integrity;

import io.vmiscope.api.Gva;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.walk.Anomaly;
import io.vmiscope.linux.walk.KernelPointers;
import io.vmiscope.linux.walk.ReadPlan;
import io.vmiscope.linux.walk.WalkResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code credentials}: a process whose credentials ({@code task->cred}) say root — uid or euid 0 — while the two
 * other witnesses of how it got there say otherwise: its parent ({@code real_parent->cred}) is not root, neither
 * by uid nor by euid, and its executable ({@code mm->exe_file->f_inode}) is not a setuid-root file. Without
 * {@code setuid} in between, such a process was raised by writing its credentials: a privilege escalation that
 * skipped the kernel's checks. Kernel threads are left out.
 *
 * <p>Cost in round trips: one per process on the task list (list steps), then three batches (tasks,
 * credentials of them and their parents), then three reads per candidate (the executable's chain).
 */
public final class CredentialsCheck implements IntegrityCheck {

    public static final String ID = "credentials";
    static final String CRED = "credentials (task->cred)";
    static final String PARENT = "parent (real_parent->cred)";
    static final String EXECUTABLE = "executable (mm->exe_file)";
    /** {@code PF_KTHREAD} and {@code PF_EXITING}, include/linux/sched.h. */
    private static final int PF_KTHREAD = 0x0020_0000;
    private static final int PF_EXITING = 0x4;
    private static final int S_ISUID = 04000;

    private final KernelAccess kernel;
    private final KernelWords words;
    private final TaskList taskList;
    private final long pid;
    private final long tgid;
    private final StringField comm;
    private final long realParent;
    private final long cred;
    private final long mm;
    private final long flags;
    private final long uid;
    private final long euid;
    private final long exeFile;
    private final long fInode;
    private final long iMode;
    private final long iUid;
    private final ReadPlan taskPlan;
    private final ReadPlan credPlan;

    /** @throws ProfileException when the profile lacks a symbol or member a witness needs */
    public CredentialsCheck(KernelAccess kernel) {
        this.kernel = kernel;
        this.words = kernel.words();
        var profile = kernel.profile();
        StructLayout task = profile.struct("task_struct");
        this.taskList = TaskList.of(kernel, task);
        this.pid = task.offsetOf("pid");
        this.tgid = task.offsetOf("tgid");
        this.comm = StringField.of(task, "comm", kernel.limits());
        this.realParent = task.offsetOf("real_parent");
        this.cred = task.offsetOf("cred");
        this.mm = task.offsetOf("mm");
        this.flags = task.offsetOf("flags");
        this.uid = profile.offset("cred", "uid");
        this.euid = profile.offset("cred", "euid");
        this.exeFile = profile.offset("mm_struct", "exe_file");
        this.fInode = profile.offset("file", "f_inode");
        this.iMode = profile.offset("inode", "i_mode");
        this.iUid = profile.offset("inode", "i_uid");
        this.taskPlan = comm.addTo(ReadPlan.builder(kernel.maxReadBytes()).field(pid, 4).field(tgid, 4))
                .field(realParent, 8).field(cred, 8).field(mm, 8).field(flags, 4).build();
        this.credPlan = ReadPlan.builder(kernel.maxReadBytes()).field(uid, 4).field(euid, 4).build();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CheckOutcome run() {
        int bits = kernel.addressBits();
        List<Anomaly> anomalies = new ArrayList<>();
        WalkResult<Long> list = taskList.walk(kernel, words);
        anomalies.addAll(list.anomalies());
        Map<Long, Task> read = readTasks(list.items(), anomalies);
        Set<Long> parents = new LinkedHashSet<>();
        read.values().forEach(t -> parents.add(t.parent));
        parents.removeAll(read.keySet());
        parents.removeIf(p -> !KernelPointers.isPlausible(p, bits, 8));
        read.putAll(readTasks(List.copyOf(parents), anomalies));
        Map<Long, long[]> creds = readCreds(read.values(), bits);

        List<IntegrityFinding> findings = new ArrayList<>();
        for (long address : list.items()) {
            Task t = read.get(address);
            long[] own = t == null ? null : creds.get(t.cred);
            if (own == null || t.pid == 0 || (t.flags & (PF_KTHREAD | PF_EXITING)) != 0 || t.mm == 0
                    || (own[0] != 0 && own[1] != 0)) {
                continue;
            }
            Task parent = read.get(t.parent);
            long[] parentCred = parent == null ? null : creds.get(parent.cred);
            if (parentCred == null || parentCred[0] == 0 || parentCred[1] == 0) {
                continue;
            }
            String exe = executable(t, bits);
            if (exe == null) {
                continue; // setuid root: a legitimate way to become root
            }
            Map<String, String> views = new LinkedHashMap<>();
            views.put(CRED, "uid " + own[0] + " euid " + own[1]);
            views.put(PARENT, "pid " + parent.tgid + " (" + parent.comm + ") uid " + parentCred[0] + " euid "
                    + parentCred[1]);
            views.put(EXECUTABLE, exe);
            findings.add(new IntegrityFinding(ID, "pid " + t.tgid + " (" + t.comm + ")", t.tgid, t.comm, "process " + t.tgid
                    + " (" + t.comm + ") runs as root, but its parent is not root and its executable is not setuid root",
                    views, List.of("T1548", "T1014")));
        }
        return new CheckOutcome(ID, findings, 3, anomalies);
    }

    /** The executable's inode when it is not setuid root, as one line; {@code null} when it is setuid root. */
    private String executable(Task t, int bits) {
        long file = follow(t.mm + exeFile, bits);
        long inode = file == 0 ? 0 : follow(file + fInode, bits);
        if (inode == 0) {
            return "unreadable (no setuid to explain it)";
        }
        var word = words.word(inode + iMode);
        var owner = words.word(inode + iUid);
        if (word.isEmpty() || owner.isEmpty()) {
            return "inode " + Gva.of(inode) + " unreadable (no setuid to explain it)";
        }
        int mode = (int) (word.getAsLong() & 0xffff); // i_mode: a 16-bit umode_t
        long ownerUid = owner.getAsLong() & 0xffff_ffffL;
        if ((mode & S_ISUID) != 0 && ownerUid == 0) {
            return null;
        }
        return "inode " + Gva.of(inode) + " mode 0" + Integer.toOctalString(mode) + " owner " + ownerUid
                + ", not setuid root";
    }

    /** The plausible pointer stored at {@code address}, or 0. */
    private long follow(long address, int bits) {
        var word = words.word(address);
        return word.isPresent() && KernelPointers.isPlausible(word.getAsLong(), bits, 8) ? word.getAsLong() : 0;
    }

    private Map<Long, Task> readTasks(List<Long> addresses, List<Anomaly> anomalies) {
        Map<Long, Task> out = new HashMap<>();
        for (var e : StructReads.read(kernel.memory(), taskPlan, addresses, anomalies, "task").entrySet()) {
            ReadPlan.Block b = e.getValue();
            out.put(e.getKey(), new Task(b.u32(pid), b.u32(tgid), comm.read(b), b.u64(realParent), b.u64(cred), b.u64(mm), b.u32(flags)));
        }
        return out;
    }

    /** cred address → {uid, euid}. */
    private Map<Long, long[]> readCreds(Iterable<Task> owners, int bits) {
        Set<Long> addresses = new LinkedHashSet<>();
        owners.forEach(t -> {
            if (KernelPointers.isPlausible(t.cred, bits, 8)) {
                addresses.add(t.cred);
            }
        });
        Map<Long, long[]> out = new HashMap<>();
        StructReads.read(kernel.memory(), credPlan, List.copyOf(addresses), new ArrayList<>(), "cred").forEach((a, b) -> out.put(a,
                new long[] {Integer.toUnsignedLong(b.u32(uid)), Integer.toUnsignedLong(b.u32(euid))}));
        return out;
    }

    private record Task(int pid, int tgid, String comm, long parent, long cred, long mm, int flags) {
    }
}
