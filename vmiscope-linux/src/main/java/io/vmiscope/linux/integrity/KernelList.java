package io.vmiscope.linux.integrity;

import io.vmiscope.api.Gva;
import io.vmiscope.linux.walk.Anomaly;
import io.vmiscope.linux.walk.KernelPointers;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.linux.walk.WalkResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Walks a kernel {@code struct list_head} ring from its head back to its head, as {@code list_for_each_entry}
 * does, and returns the address of each element's containing struct. One read (round trip) per element, since
 * each step needs the previous {@code next}. Stateless and thread-safe.
 *
 * <p>Hostile-safe: each {@code next} must be a plausible kernel pointer, a node seen twice is a cycle, and
 * {@link WalkLimits#maxNodes()} bounds the walk; each ends it with an anomaly and a truncated result.
 */
public final class KernelList {

    private KernelList() {
    }

    /**
     * @param head       address of the {@code list_head} that heads the ring (not itself an element)
     * @param nodeOffset offset of the {@code list_head} member inside each element
     * @param what       names the list in anomalies, e.g. {@code "children of task 0x…"}
     */
    public static WalkResult<Long> walk(KernelWords words, long head, long nodeOffset, WalkLimits limits,
                                        int addressBits, String what) {
        List<Long> elements = new ArrayList<>();
        List<Anomaly> anomalies = new ArrayList<>();
        Set<Long> visited = new HashSet<>();
        long node = head;
        while (true) {
            OptionalLong next = words.word(node);
            if (next.isEmpty()) {
                anomalies.add(new Anomaly(Anomaly.Kind.UNMAPPED, what, "list node " + Gva.of(node) + " unreadable"));
                return new WalkResult<>(elements, anomalies, true);
            }
            long n = next.getAsLong();
            if (n == head) {
                return new WalkResult<>(elements, anomalies, false);
            }
            if (!KernelPointers.isPlausible(n, addressBits, 8)) {
                anomalies.add(new Anomaly(Anomaly.Kind.WILD_POINTER, what, "next of " + Gva.of(node) + " is " + Gva.of(n)));
                return new WalkResult<>(elements, anomalies, true);
            }
            if (!visited.add(n)) {
                anomalies.add(new Anomaly(Anomaly.Kind.CYCLE, what, "next leads back to " + Gva.of(n)
                        + " without reaching the head"));
                return new WalkResult<>(elements, anomalies, true);
            }
            if (elements.size() >= limits.maxNodes()) {
                anomalies.add(new Anomaly(Anomaly.Kind.LIMIT, what, "longer than " + limits.maxNodes() + " entries"));
                return new WalkResult<>(elements, anomalies, true);
            }
            elements.add(n - nodeOffset);
            node = n;
        }
    }
}
