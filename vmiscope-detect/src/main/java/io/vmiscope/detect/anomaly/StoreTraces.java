package io.vmiscope.detect.anomaly;

import io.vmiscope.detect.ImagePaths;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The traces of a VM's stored {@code syscall} events (docs/store.md): one trace per process run, from its
 * exec (or its first stored syscall) to its next exec or its exit, keyed by the image the exec started
 * ({@link ImagePaths}, as {@link AnomalyDetector} keys them live), or the task name when no exec was stored. Reads in time order through the given connection, which the caller closes; a run
 * longer than {@link AdfaTraces#MAX_CALLS} is cut into several traces.
 *
 * @param fromNanos only events at or after this time (nanoseconds since the epoch), or {@code null}
 * @param toNanos   only events before this time, or {@code null}
 */
public record StoreTraces(Connection connection, String vm, Long fromNanos, Long toNanos) implements TraceSource {

    /**
     * The monitoring action that gave most of the syscall events (what a model trained on them needs live), or
     * {@code ""} when there are none.
     */
    public String syscallAction() {
        String sql = "SELECT action FROM events WHERE vm = ? AND kind = 'syscall'" + range()
                + " GROUP BY action ORDER BY count(*) DESC, action LIMIT 1";
        try (PreparedStatement query = prepare(sql); ResultSet rows = query.executeQuery()) {
            return rows.next() ? String.valueOf(rows.getString(1)) : "";
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the syscall actions of VM " + vm + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void forEach(Consumer<Trace> each) {
        String sql = "SELECT pid, kind, name, process, json_extract(fields, '$.number')::INTEGER AS number, "
                + "json_extract_string(fields, '$.abi') AS abi, json_extract(fields, '$.thread')::BOOLEAN AS thread, "
                + "json_extract_string(fields, '$.argv[*]') AS argv FROM events WHERE vm = ? AND kind IN ('syscall', 'exec', 'exit')" + range() + " ORDER BY time_ns, id";
        Map<Integer, Open> open = new HashMap<>();
        try (PreparedStatement query = prepare(sql)) {
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    int pid = rows.getInt("pid");
                    switch (rows.getString("kind")) {
                        case "exec" -> {
                            Open caller = open.remove(pid);
                            close(caller, pid, each);
                            open.put(pid, new Open(ImagePaths.image(String.valueOf(rows.getString("name")), argv(rows),
                                    caller == null ? null : caller.program)));
                        }
                        case "exit" -> {
                            if (!rows.getBoolean("thread")) {
                                close(open.remove(pid), pid, each);
                            }
                        }
                        default -> {
                            Open run = open.computeIfAbsent(pid, k -> new Open(safe(rows, "process")));
                            int number = rows.getInt("number");
                            run.calls.add(Syscalls.of(rows.wasNull() ? -1 : number, rows.getString("abi"),
                                    rows.getString("name")));
                            if (++run.count >= AdfaTraces.MAX_CALLS) {
                                close(open.remove(pid), pid, each);
                                open.put(pid, new Open(run.program));
                            }
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the syscalls of VM " + vm + ": " + e.getMessage(), e);
        }
        open.forEach((pid, run) -> close(run, pid, each));
    }

    private static List<String> argv(ResultSet rows) throws SQLException {
        Array array = rows.getArray("argv");
        if (array == null) {
            return List.of();
        }
        List<String> argv = new ArrayList<>();
        for (Object value : (Object[]) array.getArray()) {
            argv.add(String.valueOf(value));
        }
        return argv;
    }

    private String range() {
        return (fromNanos == null ? "" : " AND time_ns >= ?") + (toNanos == null ? "" : " AND time_ns < ?");
    }

    /** The statement with the VM and the time range bound. */
    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement query = connection.prepareStatement(sql);
        int p = 1;
        query.setString(p++, vm);
        if (fromNanos != null) {
            query.setLong(p++, fromNanos);
        }
        if (toNanos != null) {
            query.setLong(p, toNanos);
        }
        return query;
    }

    private static String safe(ResultSet rows, String column) {
        try {
            return String.valueOf(rows.getString(column));
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void close(Open run, int pid, Consumer<Trace> each) {
        if (run != null && run.count > 0) {
            each.accept(new Trace(run.program, "pid " + pid, run.calls.build().toArray()));
        }
    }

    /** A process run being collected. */
    private static final class Open {
        final String program;
        final IntStream.Builder calls = IntStream.builder();
        int count;

        Open(String program) {
            this.program = program;
        }
    }
}
