package io.vmiscope.linux.integrity;

import io.vmiscope.linux.walk.Anomaly;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.linux.walk.WalkResult;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PidTreeProperties {

    /** Linux 6.1's xa_node: shift at byte 0, 64 slots from byte 40. */
    private static final PidTree TREE = new PidTree(0, 40, 64);
    private static final long NODES = 0xffff_8880_0200_0000L;
    private static final long PIDS = 0xffff_8880_0300_0000L;
    private static final WalkLimits LIMITS = new WalkLimits(300, 64, 256);

    /** A node at {@code address} with {@code shift} and the given slots (the rest empty). */
    private static void node(MapWords memory, long address, int shift, long... slots) {
        memory.put(address, shift);
        for (int w = 1; w < 5; w++) {
            memory.put(address + 8L * w, 0);
        }
        for (int s = 0; s < 64; s++) {
            memory.put(address + 40 + 8L * s, s < slots.length ? slots[s] : 0);
        }
    }

    private static long internal(long node) {
        return node + 2;
    }

    /** Two levels: a root of shift 6 over two leaves of shift 0, holding {@code pids} struct pids. */
    private static MapWords twoLevels(int pids) {
        MapWords memory = new MapWords();
        long[] left = new long[Math.min(pids, 64)];
        long[] right = new long[Math.max(0, pids - 64)];
        for (int i = 0; i < pids; i++) {
            (i < 64 ? left : right)[i % 64] = PIDS + i * 0x80L;
        }
        node(memory, NODES, 6, internal(NODES + 0x1000), internal(NODES + 0x2000));
        node(memory, NODES + 0x1000, 0, left);
        node(memory, NODES + 0x2000, 0, right);
        return memory;
    }

    @Test
    void walk_findsEveryStructPid_levelByLevel_inOneBatchPerLevel() {
        MapWords memory = twoLevels(70);
        WalkResult<Long> result = TREE.walk(memory, internal(NODES), LIMITS, 48);
        assertThat(result.items()).hasSize(70).contains(PIDS, PIDS + 69 * 0x80L);
        assertThat(result.isComplete()).isTrue();
        assertThat(memory.batches).isEqualTo(2);
    }

    @Test
    void walk_ofATreeWithOneEntry_findsItInTheHead_withoutReading() {
        MapWords memory = new MapWords();
        assertThat(TREE.walk(memory, PIDS, LIMITS, 48).items()).containsExactly(PIDS);
        assertThat(TREE.walk(memory, 0, LIMITS, 48).items()).isEmpty();
        assertThat(memory.batches).isZero();
    }

    @Test
    void walk_skipsValueRetryAndSiblingEntries() {
        MapWords memory = new MapWords();
        node(memory, NODES, 0, PIDS, 0x41 /* value */, 0x402 /* sibling */, 0x2 /* retry */, PIDS + 0x80);
        assertThat(TREE.walk(memory, internal(NODES), LIMITS, 48).items()).containsExactly(PIDS, PIDS + 0x80);
    }

    @Test
    void walk_refusesANodeWhoseShiftDoesNotShrinkByOneLevel() {
        MapWords memory = new MapWords();
        node(memory, NODES, 6, internal(NODES + 0x1000));
        node(memory, NODES + 0x1000, 6, PIDS);
        WalkResult<Long> result = TREE.walk(memory, internal(NODES), LIMITS, 48);
        assertThat(result.items()).isEmpty();
        assertThat(result.anomalies()).singleElement().extracting(Anomaly::kind).isEqualTo(Anomaly.Kind.IMPLAUSIBLE);
    }

    @Test
    void walk_reportsANodeReachedTwice_asACycle() {
        MapWords memory = new MapWords();
        node(memory, NODES, 12, internal(NODES + 0x1000), internal(NODES + 0x1000));
        node(memory, NODES + 0x1000, 6, internal(NODES + 0x2000));
        node(memory, NODES + 0x2000, 0, PIDS);
        WalkResult<Long> result = TREE.walk(memory, internal(NODES), LIMITS, 48);
        assertThat(result.items()).containsExactly(PIDS);
        assertThat(result.anomalies()).extracting(Anomaly::kind).contains(Anomaly.Kind.CYCLE);
    }

    @Test
    void construction_refusesAnImplausibleLayout() {
        assertThatThrownBy(() -> new PidTree(0, 40, 63)).hasMessageContaining("implausible xa_node layout");
    }

    @Property(tries = 200)
    void walk_ofAnyGeneratedTree_terminatesWithinTheLimits(@ForAll("hostileTrees") MapWords memory) {
        WalkResult<Long> result = TREE.walk(memory, internal(NODES), LIMITS, 48);

        assertThat(memory.batches).isLessThanOrEqualTo(64 / 6 + 2);
        assertThat(result.items().size()).isLessThanOrEqualTo(64 * (LIMITS.maxNodes() + 1));
        if (!result.anomalies().isEmpty()) {
            assertThat(result.truncated()).isTrue();
        }
    }

    /** Trees whose nodes hold random entries: pointers back to nodes (cycles), wild values, forged shifts. */
    @Provide
    Arbitrary<MapWords> hostileTrees() {
        Arbitrary<Long> entry = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 7).map(i -> internal(NODES + i * 0x1000L)),
                Arbitraries.longs(),
                Arbitraries.integers().between(0, 100).map(i -> PIDS + i * 0x80L),
                Arbitraries.just(0L));
        Arbitrary<Integer> shift = Arbitraries.of(0, 6, 12, 18, 5, 255);
        return Arbitraries.integers().between(1, 8).flatMap(n -> shift.list().ofSize(n).flatMap(shifts ->
                entry.list().ofSize(n * 64).map(entries -> {
                    MapWords memory = new MapWords();
                    for (int i = 0; i < n; i++) {
                        List<Long> slots = new ArrayList<>(entries.subList(i * 64, (i + 1) * 64));
                        node(memory, NODES + i * 0x1000L, shifts.get(i),
                                slots.stream().mapToLong(Long::longValue).toArray());
                    }
                    return memory;
                })));
    }
}
