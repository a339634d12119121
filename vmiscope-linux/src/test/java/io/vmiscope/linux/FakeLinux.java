package io.vmiscope.linux;

import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.symbols.StructMember;
import io.vmiscope.testkit.FakeGuest;
import io.vmiscope.testkit.PageTableBuilder;
import io.vmiscope.testkit.TaskListBuilder;
import io.vmiscope.testkit.TaskOffsets;
import io.vmiscope.x86.GuestMemory;
import io.vmiscope.x86.PagingMode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny Linux-shaped guest in a {@link FakeGuest}: a kernel image mapped at a chosen KASLR slide,
 * the banner, {@code init_task} heading a task list, the {@code modules} list head with the modules
 * added to it (laid out as Linux 6.1 lays out {@code struct module}), and a profile describing it all.
 */
public final class FakeLinux {

    static final long TEXT = 0xffff_ffff_8100_0000L;
    static final long BANNER = TEXT + 0x10_0000;
    static final long INIT_TASK = TEXT + 0x40_0000;
    static final long INIT_TOP_PGT = TEXT + 0x60_0000;
    static final long MODULES = TEXT + 0x70_0000;
    static final long END = TEXT + 0x80_0000;
    static final String BANNER_TEXT = "Linux version 6.1.0-fake (test@vmiscope) #1 SMP\n";
    /** Hooked functions (link-time addresses) for the monitor's tests. */
    public static final long SYS_EXECVE = TEXT + 0x1000;
    public static final long WAKE_UP_NEW_TASK = TEXT + 0x2000;
    public static final long DO_EXIT = TEXT + 0x3000;
    public static final long SYS_OPENAT = TEXT + 0x4000;
    public static final long IA32_COMPAT_SYS_OPENAT = TEXT + 0x5000;
    /** The per-CPU offset of current_task, and where the fake's one CPU keeps its per-CPU area. */
    static final long CURRENT_TASK = 0x2_0000;
    public static final long PER_CPU_BASE = 0xffff_8880_7fc0_0000L;
    /** struct pt_regs members the syscall hooks read. */
    public static final long PT_REGS_DI = 0x70;
    public static final long PT_REGS_SI = 0x68;
    public static final long PT_REGS_DX = 0x60;
    /** Task layout: TaskOffsets' members plus the ones the walker also reads. */
    static final TaskOffsets TASK = new TaskOffsets(0x00, 0x10, 0x14, 0x18, 0x28, 0x30, 0x38, 0x100);
    static final long FLAGS = 0x40;
    static final long STATE = 0x44;
    static final long EXIT_STATE = 0x48;
    static final long START_TIME = 0x50;
    static final long CRED_UID = 0x04;
    static final long CRED_GID = 0x08;
    static final long MM_PGD = 0x10;
    static final long MM_ARG_START = 0x20;
    static final long MM_ARG_END = 0x28;
    static final long MM_ENV_START = 0x30;
    static final long MM_ENV_END = 0x38;
    /** Module layout: the offsets of Debian's 6.1 kernel ({@code struct module} and {@code struct module_layout}). */
    static final long MODULE_STATE = 0x00;
    static final long MODULE_LIST = 0x08;
    static final long MODULE_NAME = 0x18;
    static final int MODULE_NAME_BYTES = 56;
    static final long MODULE_CORE_LAYOUT = 0x140;
    static final long LAYOUT_BASE = 0x00;
    static final long LAYOUT_SIZE = 0x08;
    static final long MODULE_REFCNT = 0x358;
    static final long MODULE_SIZE = 0x380;
    /** Where fake modules are placed: the start of x86-64's module area. */
    static final long FIRST_MODULE = 0xffff_ffff_c000_0000L;

    final FakeGuest guest = new FakeGuest(1L << 30, 1);
    final PageTableBuilder kernelTables = new PageTableBuilder(guest, 4, 0x0010_0000);
    final long slide;
    final TaskListBuilder tasks;
    private long nextKernelHeap = 0xffff_8880_0100_0000L;
    private long nextUserTablePool = 0x2000_0000L;
    private final long rootCred;
    private final long modulesHead;
    private final List<FakeModule> modules = new ArrayList<>();
    private long nextModule = FIRST_MODULE;

    public FakeLinux(long slide) {
        this.slide = slide;
        kernelTables.map2m(TEXT + slide, 0x0100_0000);
        kernelTables.writeVirtual(BANNER + slide, (BANNER_TEXT + "\0").getBytes(StandardCharsets.US_ASCII));
        tasks = new TaskListBuilder(kernelTables, TASK, INIT_TASK + slide);
        rootCred = kernelObject(0x40);
        tasks.setCred(tasks.add(0, "swapper/0"), rootCred);
        modulesHead = MODULES + slide;
        kernelTables.mapFresh(modulesHead, 16);
        kernelTables.writeVirtualU64(modulesHead, modulesHead); // an empty list points at itself
        kernelTables.writeVirtualU64(modulesHead + 8, modulesHead);
        guest.setRegister(guest.vcpus().get(0), "cr3", kernelTables.cr3());
        guest.setRegister(guest.vcpus().get(0), "cr4", 0);
        guest.setRegister(guest.vcpus().get(0), "rip", 0x401000);
    }

    public KernelProfile profile() {
        return profile(BANNER_TEXT);
    }

    KernelProfile profile(String banner) {
        Map<String, KernelSymbol> symbols = new HashMap<>();
        for (var e : Map.of("_text", TEXT, "linux_banner", BANNER, "init_task", INIT_TASK, "modules", MODULES,
                "_end", END, "__x64_sys_execve", SYS_EXECVE, "wake_up_new_task", WAKE_UP_NEW_TASK,
                "do_exit", DO_EXIT, "current_task", CURRENT_TASK).entrySet()) {
            symbols.put(e.getKey(), new KernelSymbol(e.getKey(), e.getValue(), 'D'));
        }
        for (var e : Map.of("__x64_sys_openat", SYS_OPENAT, "__ia32_compat_sys_openat", IA32_COMPAT_SYS_OPENAT).entrySet()) {
            symbols.put(e.getKey(), new KernelSymbol(e.getKey(), e.getValue(), 'T'));
        }
        StructLayout task = new StructLayout("task_struct", TASK.sizeBytes(), List.of(
                member("tasks", TASK.tasks(), 16, "struct list_head"), member("pid", TASK.pid(), 4, "pid_t"),
                member("tgid", TASK.tgid(), 4, "pid_t"), member("comm", TASK.comm(), 16, "char[16]"),
                member("real_parent", TASK.realParent(), 8, "struct task_struct *"),
                member("mm", TASK.mm(), 8, "struct mm_struct *"),
                member("real_cred", TASK.cred(), 8, "const struct cred *"),
                member("flags", FLAGS, 4, "unsigned int"), member("__state", STATE, 4, "unsigned int"),
                member("exit_state", EXIT_STATE, 4, "int"), member("start_time", START_TIME, 8, "u64")));
        StructLayout cred = new StructLayout("cred", 0x40, List.of(
                member("uid", CRED_UID, 4, "kuid_t"), member("gid", CRED_GID, 4, "kgid_t")));
        StructLayout mm = new StructLayout("mm_struct", 0x40, List.of(member("pgd", MM_PGD, 8, "pgd_t *"),
                member("arg_start", MM_ARG_START, 8, "unsigned long"), member("arg_end", MM_ARG_END, 8, "unsigned long"),
                member("env_start", MM_ENV_START, 8, "unsigned long"), member("env_end", MM_ENV_END, 8, "unsigned long")));
        StructLayout module = new StructLayout("module", MODULE_SIZE, List.of(
                member("state", MODULE_STATE, 4, "enum module_state"),
                member("list", MODULE_LIST, 16, "struct list_head"),
                member("name", MODULE_NAME, MODULE_NAME_BYTES, "char[56]"),
                member("core_layout", MODULE_CORE_LAYOUT, 0x50, "struct module_layout"),
                member("refcnt", MODULE_REFCNT, 4, "atomic_t")));
        StructLayout moduleLayout = new StructLayout("module_layout", 0x50, List.of(
                member("base", LAYOUT_BASE, 8, "void *"), member("size", LAYOUT_SIZE, 4, "unsigned int")));
        // x86-64's struct pt_regs, as BTF gives it for 6.1
        StructLayout ptRegs = new StructLayout("pt_regs", 168, List.of(member("bp", 0x20, 8, "long"),
                member("bx", 0x28, 8, "long"), member("r10", 0x38, 8, "long"), member("r9", 0x40, 8, "long"),
                member("r8", 0x48, 8, "long"), member("ax", 0x50, 8, "long"), member("cx", 0x58, 8, "long"),
                member("dx", PT_REGS_DX, 8, "long"), member("si", PT_REGS_SI, 8, "long"),
                member("di", PT_REGS_DI, 8, "long"), member("orig_ax", 0x78, 8, "long"), member("ip", 0x80, 8, "long"),
                member("sp", 0x98, 8, "long")));
        return new KernelProfile("fake", "", banner, symbols, Map.of("task_struct", task, "cred", cred,
                "mm_struct", mm, "module", module, "module_layout", moduleLayout, "pt_regs", ptRegs));
    }

    private static StructMember member(String name, long offset, int size, String type) {
        return new StructMember(name, offset * 8, size * 8L, type);
    }

    /** Writes bytes at a kernel virtual address of the image (code at a hooked function, say). */
    public void writeKernelText(long linkAddress, byte[] bytes) {
        kernelTables.writeVirtual(linkAddress + slide, bytes);
    }

    /** Makes {@code task} the one running on the fake's vCPU: per-CPU current_task and GS base. */
    public void runOnCpu(TaskListBuilder.Task task) {
        kernelTables.mapFresh(PER_CPU_BASE, 0x3_0000);
        kernelTables.writeVirtualU64(PER_CPU_BASE + CURRENT_TASK, task.address());
        guest.setRegister(guest.vcpus().get(0), "gs_base", PER_CPU_BASE);
    }

    /** A kernel stack holding a {@code struct pt_regs} with these 32-bit call registers; returns its address. */
    public long ia32PtRegs(long bx, long cx, long dx) {
        long regs = kernelObject(168);
        kernelTables.writeVirtualU64(regs + 0x28, bx);
        kernelTables.writeVirtualU64(regs + 0x58, cx);
        kernelTables.writeVirtualU64(regs + PT_REGS_DX, dx);
        return regs;
    }

    /** A string in user memory mapped by the kernel's tables too (as CR3 maps user space at syscall entry). */
    public long userString(long va, String text) {
        kernelTables.mapFresh(va, text.length() + 1);
        kernelTables.writeVirtual(va, (text + "\0").getBytes(StandardCharsets.UTF_8));
        return va;
    }

    /** A kernel stack holding a {@code struct pt_regs} with these user argument registers; returns its address. */
    public long ptRegs(long di, long si, long dx) {
        long regs = kernelObject(168);
        kernelTables.writeVirtualU64(regs + PT_REGS_DI, di);
        kernelTables.writeVirtualU64(regs + PT_REGS_SI, si);
        kernelTables.writeVirtualU64(regs + PT_REGS_DX, dx);
        return regs;
    }

    /** The physical root of the kernel's page tables (the vCPU's CR3). */
    public long kernelCr3() {
        return kernelTables.cr3();
    }

    /** The fake behind it, for its recorded calls and access costs. */
    public FakeGuest guest() {
        return guest;
    }

    public GuestMemory memory() {
        return new GuestMemory(guest, kernelTables.cr3(), PagingMode.FOUR_LEVEL);
    }

    /** A kernel object of {@code size} bytes in the direct map. */
    public long kernelObject(int size) {
        long va = nextKernelHeap;
        nextKernelHeap += (size + 0xfff) & ~0xfffL;
        kernelTables.mapFresh(va, size);
        return va;
    }

    /** Gives {@code task} credentials. */
    public void credentials(TaskListBuilder.Task task, int uid, int gid) {
        long cred = kernelObject(0x40);
        kernelTables.writeVirtualU32(cred + CRED_UID, uid);
        kernelTables.writeVirtualU32(cred + CRED_GID, gid);
        tasks.setCred(task, cred);
    }

    /** Gives {@code task} its own address space holding {@code argv} (NUL-separated) at a user address. */
    public void addressSpace(TaskListBuilder.Task task, byte[] argv) {
        addressSpace(task, argv, new byte[0]);
    }

    /**
     * Gives {@code task} its own address space holding {@code argv} then, right after it (as exec lays them
     * out), {@code environment}: {@code arg_end == env_start}.
     */
    public void addressSpace(TaskListBuilder.Task task, byte[] argv, byte[] environment) {
        PageTableBuilder user = new PageTableBuilder(guest, 4, nextUserTablePool);
        nextUserTablePool += 0x100_0000;
        long argStart = 0x7ffc_0000_1000L;
        long envStart = argStart + argv.length;
        user.mapFresh(argStart, argv.length + environment.length);
        user.writeVirtual(argStart, argv);
        user.writeVirtual(envStart, environment);
        long pgdVa = kernelObject(0x1000);
        kernelTables.map4k(pgdVa, user.cr3()); // the direct map shows the process's top-level table
        long mm = kernelObject(0x40);
        kernelTables.writeVirtualU64(mm + MM_PGD, pgdVa);
        kernelTables.writeVirtualU64(mm + MM_ARG_START, argStart);
        kernelTables.writeVirtualU64(mm + MM_ARG_END, envStart);
        kernelTables.writeVirtualU64(mm + MM_ENV_START, envStart);
        kernelTables.writeVirtualU64(mm + MM_ENV_END, envStart + environment.length);
        tasks.setMm(task, mm);
    }

    public TaskListBuilder tasks() {
        return tasks;
    }

    /** Adds a well-formed process: linked, parented by init_task, with the shared root credentials. */
    public TaskListBuilder.Task add(int pid, String comm) {
        TaskListBuilder.Task task = tasks.add(pid, comm);
        tasks.setCred(task, rootCred);
        return task;
    }

    /** Rewrites who the task at {@code task}'s address is, as an exec (new comm) or a pid reuse (all new) leaves it. */
    public void rewriteIdentity(TaskListBuilder.Task task, int pid, String comm) {
        kernelTables.writeVirtualU32(task.address() + TASK.pid(), pid);
        kernelTables.writeVirtualU32(task.address() + TASK.tgid(), pid);
        byte[] name = new byte[TaskListBuilder.TASK_COMM_LEN];
        byte[] text = comm.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, name, 0, Math.min(text.length, name.length - 1));
        kernelTables.writeVirtual(task.address() + TASK.comm(), name);
    }

    /** Overwrites the uid in the {@code cred} the task points at (a freed cred reallocated at the same address). */
    public void rewriteUidInPlace(TaskListBuilder.Task task, int uid) {
        long credPointer = guest.peekU64(io.vmiscope.api.Gpa.of(
                kernelTables.physicalAddressOf(task.address() + TASK.cred()).orElseThrow()));
        kernelTables.writeVirtualU32(credPointer + CRED_UID, uid);
    }

    public void writeTaskFlags(TaskListBuilder.Task task, int flags) {
        kernelTables.writeVirtualU32(task.address() + FLAGS, flags);
    }

    /**
     * One fake {@code struct module} as written (later corruption is not reflected here).
     *
     * @param address     virtual address of the struct (also its core base, until changed)
     * @param listAddress virtual address of its {@code list} member (what list pointers hold)
     * @param name        the name as passed to {@link #addModule}
     */
    public record FakeModule(long address, long listAddress, String name) {
    }

    /** The runtime address of the {@code modules} list head. */
    public long modulesHead() {
        return modulesHead;
    }

    /**
     * Writes a new {@code struct module} in the module area and links it at the tail of the
     * {@code modules} list; its core starts at the struct (as the kernel places {@code this_module} in
     * the core allocation) and its {@code refcnt} is 1 ({@code MODULE_REF_BASE}: nobody uses it).
     */
    public FakeModule addModule(String name, int state, int coreSizeBytes) {
        long address = nextModule;
        nextModule += 0x1_0000;
        kernelTables.mapFresh(address, MODULE_SIZE);
        FakeModule module = new FakeModule(address, address + MODULE_LIST, name);
        kernelTables.writeVirtualU32(address + MODULE_STATE, state);
        byte[] field = new byte[MODULE_NAME_BYTES];
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(utf8, 0, field, 0, Math.min(utf8.length, MODULE_NAME_BYTES - 1));
        kernelTables.writeVirtual(address + MODULE_NAME, field);
        setModuleCore(module, address, coreSizeBytes);
        kernelTables.writeVirtualU32(address + MODULE_REFCNT, 1);
        long last = modules.isEmpty() ? modulesHead : modules.get(modules.size() - 1).listAddress();
        setModuleNextRaw(module, modulesHead);
        setModulePrevRaw(module, last);
        kernelTables.writeVirtualU64(last, module.listAddress());
        kernelTables.writeVirtualU64(modulesHead + 8, module.listAddress());
        modules.add(module);
        return module;
    }

    /** Sets {@code module->list.next} to any value. */
    public void setModuleNextRaw(FakeModule module, long pointer) {
        kernelTables.writeVirtualU64(module.listAddress(), pointer);
    }

    /** Sets {@code module->list.prev} to any value. */
    public void setModulePrevRaw(FakeModule module, long pointer) {
        kernelTables.writeVirtualU64(module.listAddress() + 8, pointer);
    }

    /** Overwrites the start of {@code module->name} with raw bytes, adding no terminator. */
    public void setModuleNameRaw(FakeModule module, byte[] name) {
        if (name.length > MODULE_NAME_BYTES) {
            throw new IllegalArgumentException("module names hold " + MODULE_NAME_BYTES + " bytes, not " + name.length);
        }
        kernelTables.writeVirtual(module.address() + MODULE_NAME, name);
    }

    /** Sets {@code module->core_layout.base} and {@code .size}. */
    public void setModuleCore(FakeModule module, long base, int sizeBytes) {
        kernelTables.writeVirtualU64(module.address() + MODULE_CORE_LAYOUT + LAYOUT_BASE, base);
        kernelTables.writeVirtualU32(module.address() + MODULE_CORE_LAYOUT + LAYOUT_SIZE, sizeBytes);
    }

    /** Sets {@code module->refcnt}. */
    public void setModuleRefcnt(FakeModule module, int refcnt) {
        kernelTables.writeVirtualU32(module.address() + MODULE_REFCNT, refcnt);
    }
}
