package io.vmiscope.analysis;

import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallEvent;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreOptions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Timelines over the whole {@code long} range of nanoseconds, on a real DuckDB file whose events sit at the
 * extremes (the first and last instants a {@code long} holds, the epoch, just before it) and in between:
 * every range gives a timeline — or, for a half-open range that is empty, one clear error — whose buckets
 * are never empty or negative, cover the range, and count each stored event of the range exactly once, in
 * the bucket its time falls into.
 */
class TimelineProperties {

    private static final String VM = "edges";
    private static final long SECOND = 1_000_000_000L;
    private static final List<Long> TIMES = List.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -10 * SECOND - 5, -SECOND,
            -5L, -1L, 0L, 1L, SECOND / 2, 10 * SECOND + 3, 1_764_000_000L * SECOND, Long.MAX_VALUE - 10 * SECOND,
            Long.MAX_VALUE - 1, Long.MAX_VALUE);

    private static Path dir;
    private static DuckDbEventStore store;
    private static Analysis analysis;

    @BeforeContainer
    static void storeEventsAtTheExtremes() throws IOException {
        dir = Files.createTempDirectory("timeline-properties");
        store = DuckDbEventStore.open(dir.resolve("edges.duckdb"), StoreOptions.defaults());
        ProcessRef shell = new ProcessRef(100, 100, 1, 0, "sh");
        for (long time : TIMES) {
            store.accept(new SyscallEvent(time, VM, "syscalls", shell, "getpid", 39, List.of(), "100", "x86_64"));
        }
        store.flush();
        analysis = Analysis.open(store);
        analysis.refresh(VM);
    }

    @AfterContainer
    static void deleteTheStore() throws IOException {
        analysis.close();
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Any long, with the stored times and their neighbours, the extremes and the epoch often. */
    @Provide
    Arbitrary<Long> instants() {
        Arbitrary<Long> near = Arbitraries.of(TIMES).flatMap(t -> Arbitraries.of(t, t - 1, t + 1));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.longs()), net.jqwik.api.Tuple.of(2, near));
    }

    @Property(tries = 400)
    void everyClosedRange_givesBucketsThatCoverIt_andCountEachEventOnce(@ForAll("instants") long a,
            @ForAll("instants") long b, @ForAll @IntRange(min = 1, max = Analysis.MAX_BUCKETS) int buckets) {
        TimeSpan range = new TimeSpan(Math.min(a, b), Math.max(a, b));

        Timeline timeline = analysis.timeline(VM, range, buckets, Analysis.DEFAULT_TIMELINE_LANES);

        assertCovers(timeline, range, buckets);
    }

    @Property(tries = 400)
    void everyHalfOpenRange_givesATimeline_orSaysWhyNot(@ForAll("instants") long from, @ForAll("instants") long to,
            @ForAll @IntRange(min = 1, max = 200) int buckets) {
        if (to <= from) {
            assertThatThrownBy(() -> analysis.timeline(VM, from, to, buckets))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'to' (" + to + ") must be after 'from' (" + from + ")");
        } else {
            assertCovers(analysis.timeline(VM, from, to, buckets), new TimeSpan(from, to - 1), buckets);
        }
    }

    @Example
    void theWholeLongRange_inOneBucket_holdsEveryEvent() {
        Timeline timeline = analysis.timeline(VM, new TimeSpan(Long.MIN_VALUE, Long.MAX_VALUE), 1, 1);

        assertCovers(timeline, new TimeSpan(Long.MIN_VALUE, Long.MAX_VALUE), 1);
        assertThat(timeline.bucketNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(timeline.buckets()).isEqualTo(3);
        assertThat(timeline.lanes()).singleElement().extracting(Timeline.Lane::events).isEqualTo((long) TIMES.size());
    }

    @Example
    void theStoredSpan_withNoBoundGiven_reachesTheEventAtTheLastLongInstant() {
        TimeSpan stored = analysis.span(VM).orElseThrow();
        TimeSpan range = TimeSpan.requested(null, null, stored);

        Timeline timeline = analysis.timeline(VM, range, 120, 10);

        assertThat(range).isEqualTo(new TimeSpan(Long.MIN_VALUE, Long.MAX_VALUE));
        assertThat(timeline.lastNanos()).isEqualTo(Long.MAX_VALUE);
        assertCovers(timeline, range, 120);
    }

    @Example
    void aRequestedStart_afterTheLastEvent_isAnEmptyTimeline_andAnEndNotAfterTheStart_isRefused() {
        TimeSpan stored = new TimeSpan(0, 10);

        assertThat(TimeSpan.requested(20L, null, stored)).isEqualTo(new TimeSpan(20, 20));
        assertThat(TimeSpan.requested(null, Long.MIN_VALUE + 1, new TimeSpan(Long.MIN_VALUE, 0)))
                .isEqualTo(new TimeSpan(Long.MIN_VALUE, Long.MIN_VALUE));
        assertThatThrownBy(() -> TimeSpan.requested(5L, 5L, stored)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'to' (5) must be after 'from' (5)");
    }

    @Example
    void theVmList_countsTheLastMinute_ofASpanEndingAtEitherExtreme() {
        VmActivity edges = analysis.vms().stream().filter(v -> v.vm().equals(VM)).findFirst().orElseThrow();

        assertThat(edges.eventsLastMinute()).isEqualTo(TIMES.stream().filter(t -> t > Long.MAX_VALUE - 60 * SECOND)
                .count());
    }

    /** The buckets sane, covering {@code range}, and holding exactly the stored events of their own times. */
    private static void assertCovers(Timeline timeline, TimeSpan range, int asked) {
        assertThat(timeline.bucketNanos()).isPositive();
        assertThat(timeline.buckets()).isBetween(1, Math.max(asked + 1, 3));
        assertThat(timeline.fromNanos()).isLessThanOrEqualTo(range.fromNanos());
        assertThat(timeline.lastNanos()).isGreaterThanOrEqualTo(range.toNanos());
        assertThat(BigInteger.valueOf(timeline.lastNanos())).isEqualTo(BigInteger.valueOf(timeline.fromNanos())
                .add(BigInteger.valueOf(timeline.bucketNanos()).multiply(BigInteger.valueOf(timeline.buckets())))
                .subtract(BigInteger.ONE).min(BigInteger.valueOf(Long.MAX_VALUE)));

        TreeMap<Integer, Long> expected = new TreeMap<>();
        for (long t : TIMES) {
            if (t >= timeline.fromNanos() && t <= timeline.lastNanos()) {
                int bucket = BigInteger.valueOf(t).subtract(BigInteger.valueOf(timeline.fromNanos()))
                        .divide(BigInteger.valueOf(timeline.bucketNanos())).intValueExact();
                expected.merge(bucket, 1L, Long::sum);
            }
        }
        TreeMap<Integer, Long> counted = new TreeMap<>();
        Stream.concat(timeline.lanes().stream(), Stream.ofNullable(timeline.others()))
                .flatMap(lane -> lane.cells().stream())
                .forEach(cell -> counted.merge(cell.bucket(), cell.events(), Long::sum));
        assertThat(counted).as("events per bucket of %s", timeline).isEqualTo(expected);
        assertThat(counted.keySet()).allSatisfy(bucket -> assertThat(bucket).isBetween(0, timeline.buckets() - 1));
    }
}
