package io.vmiscope.linux.module;

import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.walk.Anomaly;
import io.vmiscope.linux.walk.GuestStrings;
import io.vmiscope.linux.walk.KernelPointers;
import io.vmiscope.linux.walk.ReadPlan;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.linux.walk.WalkResult;
import io.vmiscope.x86.GuestMemory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the loaded kernel modules by walking the kernel's {@code modules} list, as /proc/modules
 * does. The VM must be stopped while {@link #walk()} runs (the caller pauses it). Not thread-safe.
 *
 * <p>Guest memory is hostile: every pointer is checked before it is followed, the walk keeps a visited
 * set and a node limit, and any fault ends the walk with a marked, partial result instead of an
 * exception. Both directions of the doubly linked list are checked: a {@code list.prev} that disagrees
 * with the element walked before, including the head's {@code prev} at the end, is reported as
 * {@link Anomaly.Kind#LIST_CORRUPTION}, the trace that unlinking a module to hide it usually leaves.
 * A module whose core lies outside x86-64's module area or is implausibly large, whose name has no
 * terminator or whose state or reference count is out of range is still listed, with an
 * {@link Anomaly.Kind#IMPLAUSIBLE} anomaly.
 *
 * <p>Supports the {@code core_layout} layout of Linux 4.5 to 6.3 (the demo guest runs 6.1).
 *
 * <p>Cost, in round trips to the hypervisor: one for the list head, then one per module (each step
 * needs the previous {@code next} pointer; a module's fields are read as one batch).
 */
public final class ModuleWalker {

    /** x86-64 {@code MODULES_VADDR} with {@code CONFIG_RANDOMIZE_BASE} (arch/x86/include/asm/pgtable_64_types.h). */
    static final long MODULES_VADDR = 0xffff_ffff_c000_0000L;
    /** x86-64 {@code MODULES_END} (exclusive). */
    static final long MODULES_END = 0xffff_ffff_ff00_0000L;
    /** Larger than any real module's core; a bigger size is not a module. */
    static final long MAX_CORE_BYTES = 64L << 20;

    private final GuestMemory memory;
    private final ModuleLayout layout;
    private final long head;
    private final String headWhere;
    private final WalkLimits limits;
    private final int addressBits;
    private final int nameBytes;
    private final ReadPlan headPlan;
    private final ReadPlan modulePlan;

    /**
     * @param slide        the KASLR slide found at attach time (added to profile addresses)
     * @param maxReadBytes the transport's largest single read, so that nearby fields share one read
     * @throws io.vmiscope.linux.symbols.ProfileException when the profile lacks the {@code modules}
     *         symbol or a needed member, or describes a module layout this walker does not support
     */
    public ModuleWalker(GuestMemory memory, KernelProfile profile, long slide, WalkLimits limits, int maxReadBytes) {
        this.memory = memory;
        this.layout = ModuleLayout.from(profile);
        this.head = profile.symbol("modules") + slide;
        this.headWhere = "modules list head " + Gva.of(head);
        this.limits = limits;
        this.addressBits = memory.mode().virtualAddressBits();
        this.nameBytes = Math.min(layout.nameBytes(), limits.maxStringBytes());
        this.headPlan = ReadPlan.builder(maxReadBytes).field(0, 16).build();
        ReadPlan.Builder plan = ReadPlan.builder(maxReadBytes)
                .field(layout.state(), 4).field(layout.list(), 16).field(layout.name(), nameBytes)
                .field(layout.coreBase(), 8).field(layout.coreSize(), 4);
        if (layout.refcnt() >= 0) {
            plan.field(layout.refcnt(), 4);
        }
        this.modulePlan = plan.build();
    }

    /** Walks the module list once. Never throws for bad guest data; transport failures propagate. */
    public WalkResult<ModuleInfo> walk() {
        List<Anomaly> anomalies = new ArrayList<>();
        List<ModuleInfo> modules = new ArrayList<>();
        boolean truncated = readList(modules, anomalies);
        return new WalkResult<>(modules, anomalies, truncated);
    }

    /** Follows {@code list.next} from the head back to the head. Returns true when cut short. */
    private boolean readList(List<ModuleInfo> out, List<Anomaly> anomalies) {
        ReadPlan.Block headBlock;
        try {
            headBlock = headPlan.read(memory, Gva.of(head));
        } catch (GuestAccessException e) {
            anomalies.add(new Anomaly(Anomaly.Kind.UNMAPPED, headWhere, e.getMessage()));
            return true;
        }
        Set<Long> visited = new HashSet<>();
        String from = headWhere;
        long next = headBlock.u64(0);
        long expectedPrev = head;
        while (true) {
            if (!KernelPointers.isPlausible(next, addressBits, 8)) {
                anomalies.add(new Anomaly(Anomaly.Kind.WILD_POINTER, from, "list.next is " + Gva.of(next)));
                return true;
            }
            if (next == head) {
                long headPrev = headBlock.u64(8);
                if (headPrev != expectedPrev) {
                    anomalies.add(new Anomaly(Anomaly.Kind.LIST_CORRUPTION, headWhere,
                            "list.prev is " + Gva.of(headPrev) + ", expected " + Gva.of(expectedPrev)));
                }
                return false;
            }
            long module = next - layout.list();
            if (visited.contains(module)) {
                anomalies.add(new Anomaly(Anomaly.Kind.CYCLE, from,
                        "list.next leads back to " + where(module) + " without reaching the head"));
                return true;
            }
            if (out.size() >= limits.maxNodes()) {
                anomalies.add(new Anomaly(Anomaly.Kind.LIMIT, from,
                        "module list longer than " + limits.maxNodes() + " entries"));
                return true;
            }
            ReadPlan.Block block;
            try {
                block = modulePlan.read(memory, Gva.of(module));
            } catch (GuestAccessException e) {
                anomalies.add(new Anomaly(Anomaly.Kind.UNMAPPED, where(module), e.getMessage()));
                return true;
            }
            visited.add(module);
            long prev = block.u64(layout.list() + 8);
            if (prev != expectedPrev) {
                anomalies.add(new Anomaly(Anomaly.Kind.LIST_CORRUPTION, where(module),
                        "list.prev is " + Gva.of(prev) + ", expected " + Gva.of(expectedPrev)));
            }
            out.add(decode(module, block, anomalies));
            from = where(module);
            expectedPrev = next;
            next = block.u64(layout.list());
        }
    }

    private ModuleInfo decode(long module, ReadPlan.Block block, List<Anomaly> anomalies) {
        byte[] rawName = block.bytes(layout.name(), nameBytes);
        String name = GuestStrings.cString(rawName, 0, nameBytes);
        if (nameBytes == layout.nameBytes() && !hasNul(rawName)) {
            anomalies.add(new Anomaly(Anomaly.Kind.IMPLAUSIBLE, where(module),
                    "name has no terminating NUL in its " + nameBytes + " bytes"));
        }
        int rawState = block.u32(layout.state());
        ModuleState state = ModuleState.fromKernel(rawState);
        if (state == ModuleState.UNKNOWN) {
            anomalies.add(new Anomaly(Anomaly.Kind.IMPLAUSIBLE, where(module), "state is " + rawState));
        }
        long base = block.u64(layout.coreBase());
        long size = Integer.toUnsignedLong(block.u32(layout.coreSize()));
        if (!isPlausibleCore(base, size)) {
            anomalies.add(new Anomaly(Anomaly.Kind.IMPLAUSIBLE, where(module), "core_layout is " + Gva.of(base)
                    + " + " + size + " bytes, not within the module area " + Gva.of(MODULES_VADDR) + ".."
                    + Gva.of(MODULES_END) + " or not between 1 byte and " + MAX_CORE_BYTES + " bytes"));
        }
        int refcount = -1;
        if (layout.refcnt() >= 0) {
            int raw = block.u32(layout.refcnt());
            if (raw < 0) {
                anomalies.add(new Anomaly(Anomaly.Kind.IMPLAUSIBLE, where(module), "refcnt is " + raw));
            } else {
                refcount = raw;
            }
        }
        return new ModuleInfo(name, state, Gva.of(base), size, refcount, Gva.of(module));
    }

    /** A core inside {@code [MODULES_VADDR, MODULES_END)}, non-empty and smaller than the cap. */
    static boolean isPlausibleCore(long base, long sizeBytes) {
        return sizeBytes > 0 && sizeBytes < MAX_CORE_BYTES
                && Long.compareUnsigned(base, MODULES_VADDR) >= 0
                && Long.compareUnsigned(base, MODULES_END - sizeBytes) <= 0;
    }

    private static boolean hasNul(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    private static String where(long module) {
        return "module " + Gva.of(module);
    }
}
