package io.vmiscope.analysis;

import java.util.List;

/**
 * Activity over time: one lane per process with events in the range — the busiest ones when there are more
 * than asked for, the rest summed into {@link #others()} — each lane a list of non-empty cells (time bucket →
 * events per category).
 *
 * <p>Buckets are {@link #bucketNanos()} wide starting at {@link #fromNanos()}; bucket {@code i} covers
 * {@code [from + i·width, from + (i+1)·width)}. When the width asked for is at least
 * {@link Analysis#FINE_BUCKET_NANOS} ({@link Analysis#ACTIVITY_BUCKET_NANOS},
 * {@link Analysis#COARSE_BUCKET_NANOS}), the range start is rounded down and the width up to whole
 * pre-aggregated buckets, so the counts are exact; these are the values reported here, and
 * {@link #buckets()} may differ from the number asked for.
 *
 * @param vm          the VM
 * @param fromNanos   the start of bucket 0
 * @param bucketNanos the width of a bucket
 * @param buckets     the number of buckets
 * @param lanes       one per process shown, by process start then pid: the processes with the most events in
 *                    the range (ties: the older first), as many as asked for at most
 * @param processes   how many processes had events in the range: {@code lanes} plus those in {@code others}
 * @param others      the processes not shown in lanes of their own, summed: {@code process} {@code null},
 *                    {@code name} {@value #OTHERS}; {@code null} when every process has its lane
 */
public record Timeline(String vm, long fromNanos, long bucketNanos, int buckets, List<Lane> lanes, int processes,
                       Lane others) {

    /** The {@link Lane#name()} of {@link #others()}. */
    public static final String OTHERS = "other processes";

    public Timeline {
        lanes = List.copyOf(lanes);
    }

    /** How many processes {@link #others()} sums; 0 when it is {@code null}. */
    public int folded() {
        return processes - lanes.size();
    }

    /** The end of the last bucket (exclusive). */
    public long toNanos() {
        return fromNanos + bucketNanos * buckets;
    }

    /**
     * One process's activity.
     *
     * @param process the process; {@code null} for {@link Timeline#others()}
     * @param name    its name (guest text), {@value Timeline#OTHERS} for {@link Timeline#others()}
     * @param image   its image's path (guest text), or {@code null}
     * @param events  its events in the range
     * @param cells   non-empty cells by bucket, kind, category
     */
    public record Lane(ProcessKey process, String name, String image, long events, List<Cell> cells) {

        public Lane {
            cells = List.copyOf(cells);
        }

        /** Events per bucket of one category (all categories when {@code null}), {@code buckets} long. */
        public long[] counts(String category, int buckets) {
            long[] counts = new long[buckets];
            for (Cell c : cells) {
                counts[c.bucket()] += category == null ? c.events() : c.count(category);
            }
            return counts;
        }
    }

    /**
     * Events of one process in one bucket, by category: for system calls the category of the call's name
     * (unknown names are {@code other}), for other kinds the kind's own ({@code exec}, {@code fork},
     * {@code exit} are {@code process}; {@code file}, {@code network} their own; the rest {@code other}).
     *
     * @param bucket the bucket's index
     * @param events all events
     */
    public record Cell(int bucket, long events, long file, long network, long process, long memory, long ipc,
                       long other) {

        /** The count of one category by name ({@code file}, {@code network}, …). */
        public long count(String category) {
            return switch (category) {
                case "file" -> file;
                case "network" -> network;
                case "process" -> process;
                case "memory" -> memory;
                case "ipc" -> ipc;
                case "other" -> other;
                default -> throw new IllegalArgumentException("no category " + category);
            };
        }
    }
}
