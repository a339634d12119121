package io.vmiscope.overhead.workload;


import java.util.List;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * The budget controller's view of a guest-side workload's own progress: its counter lines since the
 * last reading against its unmonitored rate. When no line came for longer than a batch takes
 * unmonitored, the workload is slowed at least that much, which is what the reading says. It owns the
 * follower: closing closes it.
 */
final class CounterProbe implements ProgressProbe {

    private final CounterFollower follower;
    private double baselineOpsPerSecond;
    private final LongSupplier clock;
    private CounterFollower.Edge last;
    private long step;

    /** @param baselineOpsPerSecond the unmonitored rate; NaN until {@link #baseline} */
    CounterProbe(CounterFollower follower, double baselineOpsPerSecond, LongSupplier clock) {
        this.follower = follower;
        this.baselineOpsPerSecond = baselineOpsPerSecond;
        this.clock = clock;
    }

    @Override
    public void baseline(Rate unmonitored) {
        reading(); // the lines so far were the baseline's
        baselineOpsPerSecond = unmonitored.opsPerSecond();
    }

    @Override
    public OptionalDouble slowdownSinceLastCall() {
        OptionalDouble reading = reading();
        return Double.isNaN(baselineOpsPerSecond) ? OptionalDouble.empty() : reading;
    }

    private OptionalDouble reading() {
        List<CounterFollower.Edge> arrived = follower.poll();
        if (arrived.isEmpty()) {
            if (last == null || step == 0) {
                return OptionalDouble.empty();
            }
            double waited = (clock.getAsLong() - last.atNanos()) / 1e9;
            double atMost = step / waited; // the next line has not come: less than one batch in that time
            return atMost < baselineOpsPerSecond ? OptionalDouble.of(baselineOpsPerSecond / atMost - 1) : OptionalDouble.empty();
        }
        CounterFollower.Edge newest = arrived.get(arrived.size() - 1);
        CounterFollower.Edge from = last != null ? last : arrived.get(0);
        if (arrived.size() >= 2) {
            step = arrived.get(arrived.size() - 1).count() - arrived.get(arrived.size() - 2).count();
        } else if (last != null) {
            step = newest.count() - last.count();
        }
        last = newest;
        double seconds = (newest.atNanos() - from.atNanos()) / 1e9;
        if (seconds <= 0 || newest.count() <= from.count()) {
            return OptionalDouble.empty();
        }
        double rate = (newest.count() - from.count()) / seconds;
        return OptionalDouble.of(Math.max(0, baselineOpsPerSecond / rate - 1));
    }

    @Override
    public void close() {
        follower.close();
    }
}
