package io.vmiscope.linux.integrity;

import io.vmiscope.api.Gva;
import io.vmiscope.linux.walk.Anomaly;
import io.vmiscope.linux.walk.KernelPointers;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.linux.walk.WalkResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Walks the radix tree (an XArray) of the pid allocator, {@code init_pid_ns.idr}, and returns every stored
 * entry: the {@code struct pid} of every allocated pid. One batch per tree level. Stateless.
 *
 * <p>Entry encoding, include/linux/xarray.h: an entry with low bits {@code 10} and a value above 4096 is an
 * internal node ({@code xa_to_node}: minus 2); other internal entries (retry, sibling) and value entries (low
 * bit 1) are no pointers and are skipped; {@code NULL} is an empty slot. A node's {@code shift} says how many
 * index bits lie below it: the walk checks that it shrinks by {@code log2(slots)} per level, so a forged
 * node cannot make the tree deeper than 64 bits of index, and {@link WalkLimits#maxNodes()} bounds nodes and
 * entries together.
 *
 * @param shiftOffset offset of {@code xa_node.shift} (one byte)
 * @param slotsOffset offset of {@code xa_node.slots}
 * @param slots       entries per node ({@code XA_CHUNK_SIZE}, 64)
 */
public record PidTree(long shiftOffset, long slotsOffset, int slots) {

    private static final long INTERNAL_NODE_MIN = 4096;

    public PidTree {
        if (slots <= 1 || Integer.bitCount(slots) != 1 || slots > 1024 || shiftOffset < 0 || slotsOffset < 8
                || slotsOffset % 8 != 0 || shiftOffset >= slotsOffset) {
            throw new IllegalArgumentException("implausible xa_node layout: shift @" + shiftOffset + ", slots @"
                    + slotsOffset + " x " + slots);
        }
    }

    /** The entries under {@code xaHead} (the value of {@code idr_rt.xa_head}). */
    public WalkResult<Long> walk(KernelWords words, long xaHead, WalkLimits limits, int addressBits) {
        List<Long> entries = new ArrayList<>();
        List<Anomaly> anomalies = new ArrayList<>();
        Set<Long> visited = new HashSet<>();
        int bitsPerLevel = Integer.numberOfTrailingZeros(slots);
        List<Long> level = new ArrayList<>();
        List<Integer> expectedShift = new ArrayList<>();
        boolean truncated = classify(xaHead, -1, "xa_head", entries, level, expectedShift, anomalies, addressBits);
        int rowWords = (int) (slotsOffset / 8) + slots;
        while (!level.isEmpty()) {
            if (visited.size() + level.size() + entries.size() > limits.maxNodes()) {
                anomalies.add(new Anomaly(Anomaly.Kind.LIMIT, "pid tree", "more than " + limits.maxNodes()
                        + " nodes and entries"));
                return new WalkResult<>(entries, anomalies, true);
            }
            visited.addAll(level);
            long[][] rows = words.read(level, rowWords);
            List<Long> next = new ArrayList<>();
            List<Integer> nextShift = new ArrayList<>();
            for (int i = 0; i < level.size(); i++) {
                long node = level.get(i);
                String where = "pid tree node " + Gva.of(node);
                if (rows[i] == null) {
                    anomalies.add(new Anomaly(Anomaly.Kind.UNMAPPED, where, "unreadable"));
                    truncated = true;
                    continue;
                }
                int shift = (int) ((rows[i][(int) (shiftOffset / 8)] >>> (8 * (shiftOffset % 8))) & 0xff);
                int expected = expectedShift.get(i);
                if (shift % bitsPerLevel != 0 || shift >= 64 || (expected >= 0 && shift != expected)) {
                    anomalies.add(new Anomaly(Anomaly.Kind.IMPLAUSIBLE, where, "shift is " + shift
                            + (expected >= 0 ? ", expected " + expected : "")));
                    truncated = true;
                    continue;
                }
                for (int s = 0; s < slots; s++) {
                    long entry = rows[i][(int) (slotsOffset / 8) + s];
                    if (shift == 0) {
                        truncated |= classifyLeaf(entry, where, entries, anomalies, addressBits);
                    } else {
                        truncated |= classify(entry, shift - bitsPerLevel, where, entries, next, nextShift,
                                anomalies, addressBits);
                    }
                }
            }
            Set<Long> seenThisLevel = new HashSet<>();
            for (int i = next.size() - 1; i >= 0; i--) {
                if (visited.contains(next.get(i)) || !seenThisLevel.add(next.get(i))) {
                    anomalies.add(new Anomaly(Anomaly.Kind.CYCLE, "pid tree", "node " + Gva.of(next.get(i))
                            + " reached twice"));
                    next.remove(i);
                    nextShift.remove(i);
                    truncated = true;
                }
            }
            level = next;
            expectedShift = nextShift;
        }
        return new WalkResult<>(entries, anomalies, truncated);
    }

    /** An entry above the leaves: a node to visit, or (a single-entry tree's head) a pid. Returns true on a fault. */
    private boolean classify(long entry, int childShift, String where, List<Long> entries, List<Long> nodes,
                             List<Integer> shifts, List<Anomaly> anomalies, int addressBits) {
        if (entry == 0 || (entry & 1) == 1) {
            return false;
        }
        if ((entry & 3) == 2) {
            if (Long.compareUnsigned(entry, INTERNAL_NODE_MIN) <= 0) {
                return false; // retry or sibling entry
            }
            long node = entry - 2;
            if (!KernelPointers.isPlausible(node, addressBits, 8)) {
                anomalies.add(new Anomaly(Anomaly.Kind.WILD_POINTER, where, "node pointer " + Gva.of(entry)));
                return true;
            }
            nodes.add(node);
            shifts.add(childShift);
            return false;
        }
        return classifyLeaf(entry, where, entries, anomalies, addressBits);
    }

    private static boolean classifyLeaf(long entry, String where, List<Long> entries, List<Anomaly> anomalies,
                                        int addressBits) {
        if (entry == 0 || (entry & 3) != 0) {
            return false;
        }
        if (!KernelPointers.isPlausible(entry, addressBits, 8)) {
            anomalies.add(new Anomaly(Anomaly.Kind.WILD_POINTER, where, "entry " + Gva.of(entry)));
            return true;
        }
        entries.add(entry);
        return false;
    }
}
