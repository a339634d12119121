package io.vmiscope.analysis;

import java.util.List;

/**
 * Activity over time: one lane per process with events in the range, each lane a list of non-empty cells
 * (time bucket → events per category).
 *
 * <p>Buckets are {@link #bucketNanos()} wide starting at {@link #fromNanos()}; bucket {@code i} covers
 * {@code [from + i·width, from + (i+1)·width)}. When the width asked for is at least
 * {@link Analysis#ACTIVITY_BUCKET_NANOS} (or {@link Analysis#COARSE_BUCKET_NANOS}), the range start is
 * rounded down and the width up to whole pre-aggregated buckets, so the counts are exact; these are the
 * values reported here, and {@link #buckets()} may differ from the number asked for.
 *
 * @param vm          the VM
 * @param fromNanos   the start of bucket 0
 * @param bucketNanos the width of a bucket
 * @param buckets     the number of buckets
 * @param lanes       one per process with events in the range, by process start then pid
 */
public record Timeline(String vm, long fromNanos, long bucketNanos, int buckets, List<Lane> lanes) {

    public Timeline {
        lanes = List.copyOf(lanes);
    }

    /** The end of the last bucket (exclusive). */
    public long toNanos() {
        return fromNanos + bucketNanos * buckets;
    }

    /**
     * One process's activity.
     *
     * @param process the process
     * @param name    its name (guest text)
     * @param events  its events in the range
     * @param cells   non-empty cells by bucket, kind, category
     */
    public record Lane(ProcessKey process, String name, long events, List<Cell> cells) {

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
