package io.vmiscope.overhead.workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows one guest-side workload's counter lines ({@code vmiscope-wl NAME COUNT}) in the file QEMU
 * writes the guest's first serial port to, from the moment it is opened: each {@link #poll} returns
 * the lines that arrived since the last one, stamped with the host's clock. Not thread-safe.
 */
public final class CounterFollower implements AutoCloseable {

    private static final Pattern LINE = Pattern.compile("vmiscope-wl ([a-z]+) ([0-9]{1,18})");

    /** A counter line as the host saw it arrive. */
    public record Edge(long count, long atNanos) {
    }

    private final String workload;
    private final Path serialLog;
    private final LongSupplier clock;
    private final FileChannel log;
    private final ByteBuffer buffer = ByteBuffer.allocate(8192);
    private final StringBuilder pending = new StringBuilder();

    /**
     * @throws UncheckedIOException when the serial log cannot be opened
     */
    public CounterFollower(String workload, Path serialLog, LongSupplier clock) {
        this.workload = workload;
        this.serialLog = serialLog;
        this.clock = clock;
        try {
            this.log = FileChannel.open(serialLog, StandardOpenOption.READ);
            log.position(log.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot follow the guest's serial log " + serialLog + ": " + e.getMessage(), e);
        }
    }

    /** The shell command a loop runs after each batch, with {@code $count} the operations so far. */
    static String reportCommand(String workload) {
        return "echo \"vmiscope-wl " + workload + " $count\" >/dev/ttyS0";
    }

    /** This workload's counter lines that arrived since the last call (none when nothing did). */
    public List<Edge> poll() {
        List<Edge> edges = new ArrayList<>();
        try {
            int read;
            while ((read = read()) > 0) {
                long now = clock.getAsLong();
                pending.append(new String(buffer.array(), 0, read, StandardCharsets.ISO_8859_1));
                takeLines(now, edges);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot follow the guest's serial log " + serialLog + ": " + e.getMessage(), e);
        }
        return edges;
    }

    private int read() throws IOException {
        buffer.clear();
        return log.read(buffer);
    }

    /** Moves the complete lines out of {@link #pending}, keeping this workload's counter lines. */
    private void takeLines(long now, List<Edge> edges) {
        int newline;
        while ((newline = pending.indexOf("\n")) >= 0) {
            Matcher m = LINE.matcher(pending.substring(0, newline).strip());
            if (m.matches() && m.group(1).equals(workload)) {
                edges.add(new Edge(Long.parseLong(m.group(2)), now));
            }
            pending.delete(0, newline + 1);
        }
    }

    @Override
    public void close() {
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the guest's serial log " + serialLog + ": " + e.getMessage(), e);
        }
    }
}
