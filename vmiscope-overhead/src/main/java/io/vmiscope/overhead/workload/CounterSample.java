package io.vmiscope.overhead.workload;

/**
 * One reading of a guest-side workload's operation counter, with the host's {@link System#nanoTime()}
 * just before the read command was sent and just after its answer came back.
 */
record CounterSample(long count, long sentNanos, long answeredNanos) {

    CounterSample {
        if (count < 0 || answeredNanos < sentNanos) {
            throw new IllegalArgumentException("a counter sample needs a count ≥ 0 and an answer after the request");
        }
    }

    /**
     * When the guest read the counter, as well as the host can tell: the middle of the round trip,
     * off by at most half of it.
     */
    long atNanos() {
        return sentNanos + (answeredNanos - sentNanos) / 2;
    }

    /** The counter in a read command's output: one decimal number, surrounding white space allowed. */
    static long parseCount(String workload, String output) {
        String text = output.strip();
        if (!text.matches("[0-9]{1,18}")) {
            throw new IllegalStateException("workload " + workload + ": its counter reads '" + abbreviate(text)
                    + "', not a count");
        }
        return Long.parseLong(text);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
