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

class KernelListProperties {

    private static final long HEAD = 0xffff_ffff_8200_0000L;
    private static final long HEAP = 0xffff_8880_0100_0000L;
    private static final long NODE_OFFSET = 0x90;
    private static final WalkLimits LIMITS = new WalkLimits(500, 64, 256);

    /** A ring of {@code n} elements, each element's list node at {@link #NODE_OFFSET}. */
    private static MapWords ring(int n) {
        MapWords memory = new MapWords();
        long previous = HEAD;
        for (int i = 0; i < n; i++) {
            long node = HEAP + i * 0x1000L + NODE_OFFSET;
            memory.put(previous, node);
            previous = node;
        }
        memory.put(previous, HEAD);
        return memory;
    }

    @Test
    void walk_returnsEveryElement_inOrder_andCompletes() {
        WalkResult<Long> result = KernelList.walk(ring(3), HEAD, NODE_OFFSET, LIMITS, 48, "test list");
        assertThat(result.items()).containsExactly(HEAP, HEAP + 0x1000, HEAP + 0x2000);
        assertThat(result.isComplete()).isTrue();
    }

    @Test
    void walk_ofAnEmptyRing_isCompleteAndEmpty() {
        WalkResult<Long> result = KernelList.walk(new MapWords().put(HEAD, HEAD), HEAD, NODE_OFFSET, LIMITS, 48, "l");
        assertThat(result.items()).isEmpty();
        assertThat(result.isComplete()).isTrue();
    }

    @Property(tries = 200)
    void walk_ofAnyGeneratedMemory_terminatesWithinTheLimit_andMarksEveryEarlyEnd(
            @ForAll("hostileRings") MapWords memory) {
        WalkResult<Long> result = KernelList.walk(memory, HEAD, NODE_OFFSET, LIMITS, 48, "generated list");

        assertThat(result.items().size()).isLessThanOrEqualTo(LIMITS.maxNodes());
        assertThat(result.items()).doesNotHaveDuplicates();
        assertThat(result.truncated()).isEqualTo(!result.anomalies().isEmpty());
        assertThat(memory.batches).isLessThanOrEqualTo(LIMITS.maxNodes() + 1);
    }

    @Property(tries = 50)
    void walk_ofAHugeRing_stopsAtTheNodeLimit_withALimitAnomaly(@ForAll("sizes") int extra) {
        WalkResult<Long> result = KernelList.walk(ring(LIMITS.maxNodes() + extra), HEAD, NODE_OFFSET, LIMITS, 48, "l");
        assertThat(result.items()).hasSize(LIMITS.maxNodes());
        assertThat(result.anomalies()).singleElement().extracting(Anomaly::kind).isEqualTo(Anomaly.Kind.LIMIT);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(1, 300);
    }

    /** Rings with their pointers replaced at random: cycles, wild, unaligned, user-half and unmapped pointers. */
    @Provide
    Arbitrary<MapWords> hostileRings() {
        Arbitrary<Long> wild = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 40).map(i -> HEAP + i * 0x1000L + NODE_OFFSET), // cycles
                Arbitraries.longs(), // anything
                Arbitraries.longs().between(0, 0x7fff_ffff_ffffL), // user half
                Arbitraries.integers().between(0, 40).map(i -> HEAP + i * 0x1000L + 3), // misaligned
                Arbitraries.just(0xffff_8880_dead_0000L)); // unmapped
        return Arbitraries.integers().between(0, 40).flatMap(n -> wild.list().ofMaxSize(5).map(changes -> {
            MapWords memory = ring(n);
            List<Long> nodes = new ArrayList<>(memory.words.keySet());
            nodes.sort(Long::compare);
            for (int i = 0; i < changes.size() && !nodes.isEmpty(); i++) {
                memory.put(nodes.get(Math.floorMod(changes.get(i).hashCode(), nodes.size())), changes.get(i));
            }
            return memory;
        }));
    }
}
