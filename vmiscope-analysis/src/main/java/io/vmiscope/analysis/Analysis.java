package io.vmiscope.analysis;

import io.vmiscope.store.StoreConnections;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Pre-processed views of the stored events: process trees with lifetimes (pid reuse handled), each
 * process's events, activity timelines, behaviour graphs and indicator summaries. (What introspection cost is the
 * store's to read: {@link io.vmiscope.store.EventReader#costs}.)
 *
 * <pre>
 *   events ──refresh(vm)──▶ processes · activity* · graph_edges  (DuckDB tables beside events, docs/store.md)
 *                                 │
 *   processTree · timeline · behaviourGraph · summary ◀──┘     processEvents ──▶ events (pid + lifetime range)
 * </pre>
 *
 * <p>Queries read the derived tables as of the latest {@link #refresh}; call it after new events are stored
 * ({@link io.vmiscope.store.EventReader#flush()} first for live ones). {@link #processEvents} reads
 * {@code events} directly, so it also shows events stored since. Every value from the events is bound as a parameter, never written
 * into SQL text.
 *
 * <p>Thread-safety: every method may be called from any thread. Each call uses a connection of its own from
 * {@link StoreConnections#openConnection()} (the store's port for tables of other modules: the derived tables
 * are written through it too), so queries run beside ingestion and beside a refresh (which they see
 * only once it is committed whole); refreshes run one at a time. The caller closes this before the store;
 * closing it does not close the store.
 */
public final class Analysis implements AutoCloseable {

    /** Width of the {@code activity} buckets; timelines with buckets this wide or wider read only those. */
    public static final long ACTIVITY_BUCKET_NANOS = Derivation.BUCKET_NANOS;

    /** Width of the {@code activity_10s} buckets, for timelines with buckets this wide or wider. */
    public static final long COARSE_BUCKET_NANOS = Derivation.COARSE_BUCKET_NANOS;

    /**
     * Width of the {@code activity_100ms} buckets, for timelines with buckets this wide or wider (and narrower
     * than {@link #ACTIVITY_BUCKET_NANOS}); narrower ones are counted from the events.
     */
    public static final long FINE_BUCKET_NANOS = Derivation.FINE_BUCKET_NANOS;

    /** How many values each list of a {@link Summary} shows at most. */
    public static final int SUMMARY_VALUES = 1000;

    /** The most buckets a timeline may have. */
    public static final int MAX_BUCKETS = 10_000;

    /** How many processes a timeline shows in lanes of their own unless told otherwise. */
    public static final int DEFAULT_TIMELINE_LANES = 200;

    /** The most processes a timeline may show in lanes of their own. */
    public static final int MAX_TIMELINE_LANES = 100_000;

    /** The most items a page of events may have. */
    public static final int MAX_PAGE = 10_000;

    private static final String PROCESS_COLUMNS = "pid, start_ns, end_ns, ppid, parent_start_ns, name, image, "
            + "command_line, uid, origin, lifetime, end_reason, exit_code, kernel_thread, events";

    private static final String EVENT_COLUMNS = "id, time_ns, action, kind, pid, tid, ppid, uid, process, name, "
            + "CAST(fields AS VARCHAR) AS fields, source";

    /** The process that held the pid of the event {@code e} at its time, as far as the last refresh knows. */
    private static final String ALIVE_AT_EVENT = "ASOF LEFT JOIN processes p ON p.vm = e.vm AND p.pid = e.pid "
            + "AND e.time_ns >= p.start_ns";

    /** That process's name and image, or NULLs when it had ended before the event. */
    private static final String TREE_PROCESS = "CASE WHEN p.end_ns IS NULL OR e.time_ns <= p.end_ns THEN p.name END, "
            + "CASE WHEN p.end_ns IS NULL OR e.time_ns <= p.end_ns THEN p.image END";

    private final StoreConnections store;
    private final Object refreshLock = new Object();
    private volatile boolean closed;

    private Analysis(StoreConnections store) {
        this.store = store;
    }

    /**
     * Analysis over {@code store}: creates the derived tables when missing (rebuilding them when an older
     * vmiscope made them with another layout) and fills the syscall-category and file-operation tables.
     *
     * @throws AnalysisException when the tables cannot be created
     */
    public static Analysis open(StoreConnections store) {
        Objects.requireNonNull(store, "store");
        try (Connection c = store.openConnection()) {
            DerivedTables.prepare(c);
        } catch (SQLException e) {
            throw failed("cannot prepare the analysis tables", e);
        }
        return new Analysis(store);
    }

    /**
     * Brings the derived tables of {@code vm} up to the newest stored event: only the new events when
     * nothing older arrived or was deleted since the previous refresh, else everything. One transaction:
     * a failure leaves the previous state.
     *
     * @throws AnalysisException when the store fails
     */
    public Refresh refresh(String vm) {
        checkOpen();
        synchronized (refreshLock) {
            try (Connection c = store.openConnection()) {
                return Derivation.run(c, vm);
            } catch (SQLException e) {
                throw failed("cannot refresh the analysis of " + vm, e);
            }
        }
    }

    /** The times of the VM's oldest and newest stored events; empty when it has none. */
    public Optional<TimeSpan> span(String vm) {
        try (Connection c = reader();
             PreparedStatement q = c.prepareStatement("SELECT min(time_ns), max(time_ns) FROM events WHERE vm = ?")) {
            bind(q, List.of(vm));
            try (ResultSet r = q.executeQuery()) {
                r.next();
                Long from = r.getObject(1, Long.class);
                return from == null ? Optional.empty() : Optional.of(new TimeSpan(from, r.getLong(2)));
            }
        } catch (SQLException e) {
            throw failed("cannot read the time span of " + vm, e);
        }
    }

    /** The processes alive at {@code atNanos} (start and end inclusive) as a tree. */
    public ProcessTree processTree(String vm, long atNanos) {
        return tree(vm, "start_ns <= ? AND (end_ns IS NULL OR end_ns >= ?)", atNanos, atNanos);
    }

    /** The processes alive at any time in {@code [fromNanos, toNanos]} as a tree. */
    public ProcessTree processTree(String vm, long fromNanos, long toNanos) {
        return tree(vm, "start_ns <= ? AND (end_ns IS NULL OR end_ns >= ?)", toNanos, fromNanos);
    }

    /** Every process the VM ever had (as far as analysed) as a tree. */
    public ProcessTree processTree(String vm) {
        return tree(vm, "TRUE");
    }

    /** One process, when it exists. */
    public Optional<ProcessNode> process(ProcessKey key) {
        List<ProcessNode> found = nodes(key.vm(), "pid = ? AND start_ns = ?", key.pid(), key.startNanos());
        return found.stream().findFirst();
    }

    /** Every process that had {@code pid}, oldest first (several when the pid was reused). */
    public List<ProcessNode> processesWithPid(String vm, int pid) {
        return nodes(vm, "pid = ?", pid);
    }

    /**
     * The events of one process (its pid within its lifetime), oldest first, filtered and paged. Reads the
     * {@code events} table, so events stored after the last refresh are included while the process runs.
     *
     * @param offset how many matching events to skip, ≥ 0
     * @param limit  page size, 1 to {@link #MAX_PAGE}
     * @throws IllegalArgumentException when the process does not exist or offset/limit are out of range
     */
    public Page<EventRow> processEvents(String vm, ProcessKey process, EventQuery query, int offset, int limit) {
        checkPage(offset, limit);
        ProcessKey key = new ProcessKey(vm, process.pid(), process.startNanos());
        ProcessNode node = process(key).orElseThrow(() -> new IllegalArgumentException(
                "no process " + key + " in VM " + vm + " (refresh after storing its events)"));
        EventQuery within = query.between(
                Math.max(node.startNanos(), query.fromNanos() == null ? Long.MIN_VALUE : query.fromNanos()),
                Math.min(node.endNanos() == null ? Long.MAX_VALUE : node.endNanos(),
                        query.toNanos() == null ? Long.MAX_VALUE : query.toNanos()));
        return eventPage(vm, key.pid(), within, offset, limit, "the events of " + key);
    }

    /**
     * The VM's events, of one pid (any lifetime) or of all when {@code pid} is {@code null}, oldest first,
     * filtered and paged. Reads the {@code events} table, so it includes events stored since the last refresh.
     *
     * @throws IllegalArgumentException when offset/limit are out of range
     */
    public Page<EventRow> events(String vm, Integer pid, EventQuery query, int offset, int limit) {
        checkPage(offset, limit);
        return eventPage(vm, pid, query, offset, limit, "the events of " + vm);
    }

    /** One stored event of the VM, whole: its row and the imported original, if any. */
    public Optional<EventDetail> event(String vm, String id) {
        try (Connection c = reader(); PreparedStatement q = c.prepareStatement("WITH one AS (SELECT vm, "
                + EVENT_COLUMNS + ", original FROM events WHERE vm = ? AND id = ? LIMIT 1) "
                + "SELECT e.* EXCLUDE (vm, original), " + TREE_PROCESS + ", e.original FROM one e " + ALIVE_AT_EVENT)) {
            bind(q, List.of(vm, id));
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.of(new EventDetail(eventRow(r), r.getString(15))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed("cannot read event " + id + " of " + vm, e);
        }
    }

    /**
     * Every VM with stored events, by name: how many events and processes (as of its last refresh), their
     * span, where they came from, and how many events arrived in the last minute of its span.
     */
    public List<VmActivity> vms() {
        List<VmActivity> vms = new ArrayList<>();
        try (Connection c = reader(); PreparedStatement q = c.prepareStatement("""
                WITH spans AS (SELECT vm, count(*) AS events, min(time_ns) AS first_ns, max(time_ns) AS last_ns,
                                      list_sort(list(DISTINCT source)) AS sources,
                                      greatest(max(time_ns)::HUGEINT - 59999999999, min(time_ns))::BIGINT AS recent_ns
                               FROM events GROUP BY vm),
                     recent AS (SELECT e.vm, count(*) AS events FROM events e JOIN spans s ON e.vm = s.vm
                                WHERE e.time_ns >= s.recent_ns GROUP BY e.vm),
                     procs AS (SELECT vm, count(*) AS processes FROM processes GROUP BY vm)
                SELECT s.vm, s.events, coalesce(p.processes, 0), s.first_ns, s.last_ns, s.sources,
                       coalesce(r.events, 0)
                FROM spans s LEFT JOIN procs p ON p.vm = s.vm LEFT JOIN recent r ON r.vm = s.vm
                ORDER BY s.vm""")) {
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    vms.add(new VmActivity(r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5),
                            strings(r.getArray(6)), r.getLong(7)));
                }
            }
        } catch (SQLException e) {
            throw failed("cannot list the VMs", e);
        }
        return vms;
    }

    private static void checkPage(int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("offset must be ≥ 0 and limit 1 to " + MAX_PAGE + ", were " + offset
                    + " and " + limit);
        }
    }

    private Page<EventRow> eventPage(String vm, Integer pid, EventQuery query, int offset, int limit, String what) {
        List<Object> values = new ArrayList<>(List.of(vm));
        StringBuilder where = new StringBuilder(" WHERE vm = ?");
        if (pid != null) {
            where.append(" AND pid = ?");
            values.add(pid);
        }
        if (query.fromNanos() != null) {
            where.append(" AND time_ns >= ?");
            values.add(query.fromNanos());
        }
        if (query.toNanos() != null) {
            where.append(" AND time_ns <= ?");
            values.add(query.toNanos());
        }
        in(where, values, "kind", query.kinds());
        in(where, values, "name", query.names());
        if (query.text() != null) {
            where.append(" AND (contains(lower(process), ?) OR contains(lower(coalesce(name, '')), ?)"
                    + " OR contains(lower(CAST(fields AS VARCHAR)), ?))");
            Collections.addAll(values, query.textLowerCase(), query.textLowerCase(), query.textLowerCase());
        }
        try (Connection c = reader()) {
            long total;
            try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM events" + where)) {
                bind(q, values);
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    total = r.getLong(1);
                }
            }
            List<EventRow> items = new ArrayList<>();
            // the page first, then the process holding each event's pid at its time (for records without a name)
            try (PreparedStatement q = c.prepareStatement("WITH page AS (SELECT vm, " + EVENT_COLUMNS
                    + " FROM events" + where + " ORDER BY time_ns, id LIMIT ? OFFSET ?) "
                    + "SELECT e.* EXCLUDE (vm), " + TREE_PROCESS + " FROM page e " + ALIVE_AT_EVENT
                    + " ORDER BY e.time_ns, e.id")) {
                List<Object> paged = new ArrayList<>(values);
                paged.add(limit);
                paged.add(offset);
                bind(q, paged);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        items.add(eventRow(r));
                    }
                }
            }
            return new Page<>(items, total, offset, limit);
        } catch (SQLException e) {
            throw failed("cannot list " + what, e);
        }
    }

    /** A row of {@link #EVENT_COLUMNS} followed by the name and image of {@link #TREE_PROCESS}. */
    private static EventRow eventRow(ResultSet r) throws SQLException {
        return EventRow.of(r.getString(1), r.getLong(2), r.getString(3), r.getString(4), r.getInt(5), r.getInt(6),
                r.getInt(7), r.getLong(8), r.getString(9), r.getString(10), r.getString(11), r.getString(12),
                r.getString(13), r.getString(14));
    }

    /**
     * {@link #timeline(String, long, long, int, int)} showing at most {@link #DEFAULT_TIMELINE_LANES}
     * processes in full.
     */
    public Timeline timeline(String vm, long fromNanos, long toNanos, int buckets) {
        return timeline(vm, fromNanos, toNanos, buckets, DEFAULT_TIMELINE_LANES);
    }

    /**
     * {@link #timeline(String, TimeSpan, int, int)} of {@code [fromNanos, toNanos)}.
     *
     * @throws IllegalArgumentException when {@code toNanos} is not after {@code fromNanos}, or as there
     */
    public Timeline timeline(String vm, long fromNanos, long toNanos, int buckets, int maxLanes) {
        return timeline(vm, TimeSpan.halfOpen(fromNanos, toNanos), buckets, maxLanes);
    }

    /**
     * Activity of the processes in {@code range} (both ends included) in about {@code buckets} buckets: the
     * {@code maxLanes} processes with the most events in the range one lane each, the others summed into
     * {@link Timeline#others()}. Buckets come from the coarsest pre-aggregated table whose buckets fit into
     * them ({@link #tableGrain}: {@code activity_10s}, {@code activity}, {@code activity_100ms}), the range
     * start rounded down and the width up to whole buckets of that table; buckets narrower than
     * {@link #FINE_BUCKET_NANOS}, and ranges that start before the epoch, are counted from the events of the
     * range. Every range of {@code long} nanoseconds gives a timeline ({@link BucketGrid}).
     *
     * @throws IllegalArgumentException when buckets is not 1 to {@link #MAX_BUCKETS} or maxLanes is not 1 to
     *                                  {@link #MAX_TIMELINE_LANES}
     */
    public Timeline timeline(String vm, TimeSpan range, int buckets, int maxLanes) {
        if (buckets < 1 || buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("a timeline has 1 to " + MAX_BUCKETS + " buckets, not " + buckets);
        }
        if (maxLanes < 1 || maxLanes > MAX_TIMELINE_LANES) {
            throw new IllegalArgumentException("a timeline shows 1 to " + MAX_TIMELINE_LANES + " lanes, not "
                    + maxLanes);
        }
        BucketGrid grid = BucketGrid.over(range, buckets);
        long from = grid.fromNanos();
        long width = grid.bucketNanos();
        String cells;
        if (grid.grain() != 0) {
            cells = "SELECT pid, start_ns, (bucket_ns - ?) // ?, " + Derivation.SUMS + " FROM "
                    + Derivation.ACTIVITY_TABLES.get(grid.grain()) + " WHERE vm = ? AND bucket_ns BETWEEN ? AND ? "
                    + "GROUP BY ALL";
        } else {
            // time_ns - from spans up to 2^64 - 1: computed as HUGEINT; the bucket index fits an INTEGER
            cells = "SELECT pid, start_ns, ((time_ns::HUGEINT - ?) // ?)::INTEGER, " + Derivation.COUNTS
                    + " FROM (SELECT e.pid, p.start_ns, e.time_ns, " + Derivation.CATEGORY + " AS category "
                    + Derivation.ATTRIBUTED + ") GROUP BY ALL";
        }
        List<Object> values = new ArrayList<>(List.of(from, width, vm, from, grid.lastNanos()));
        // lane: rank by events in the range (1 = busiest), every rank past maxLanes folded into maxLanes + 1;
        // sums cast back to BIGINT: DuckDB sums BIGINTs as HUGEINT, which JDBC reads far more slowly
        String sql = "WITH c(pid, start_ns, b, " + Derivation.COUNT_COLUMNS + ") AS (" + cells + "), "
                + "r AS (SELECT pid, start_ns, least(row_number() OVER (ORDER BY sum(events) DESC, start_ns, pid), ?)"
                + " AS lane, count(*) OVER () AS processes FROM c GROUP BY pid, start_ns), "
                + "n AS (SELECT r.*, p.name, p.image FROM r LEFT JOIN processes p ON p.vm = ? AND p.pid = r.pid "
                + "AND p.start_ns = r.start_ns) "
                + "SELECT n.lane, any_value(n.processes), any_value(n.pid), any_value(n.start_ns), any_value(n.name), "
                + "c.b, " + Derivation.SUMS + ", any_value(n.image) FROM c JOIN n USING (pid, start_ns) "
                + "GROUP BY n.lane, c.b ORDER BY n.lane, c.b";
        Collections.addAll(values, maxLanes + 1, vm);
        List<Timeline.Lane> lanes = new ArrayList<>();
        Timeline.Lane others = null;
        int processes = 0;
        try (Connection c = reader()) {
            try (PreparedStatement q = c.prepareStatement(sql)) {
                bind(q, values);
                try (ResultSet r = q.executeQuery()) {
                    LaneBuilder lane = null;
                    while (r.next()) {
                        int rank = r.getInt(1);
                        if (lane == null || lane.rank != rank) {
                            if (lane != null) {
                                lanes.add(lane.build());
                            }
                            processes = r.getInt(2);
                            lane = rank > maxLanes ? new LaneBuilder(rank, null, Timeline.OTHERS, null)
                                    : new LaneBuilder(rank, new ProcessKey(vm, r.getInt(3), r.getLong(4)),
                                    Objects.requireNonNullElse(r.getString(5), ""), r.getString(14));
                        }
                        lane.cells.add(new Timeline.Cell(r.getInt(6), r.getLong(7), r.getLong(8), r.getLong(9),
                                r.getLong(10), r.getLong(11), r.getLong(12), r.getLong(13)));
                    }
                    if (lane != null) {
                        lanes.add(lane.build());
                    }
                }
            }
            if (!lanes.isEmpty() && lanes.get(lanes.size() - 1).process() == null) {
                others = lanes.remove(lanes.size() - 1);
            }
        } catch (SQLException e) {
            throw failed("cannot build the timeline of " + vm, e);
        }
        lanes.sort(Comparator.comparingLong((Timeline.Lane l) -> l.process().startNanos())
                .thenComparingInt(l -> l.process().pid()));
        return new Timeline(vm, from, width, grid.buckets(), lanes, processes, others);
    }

    /**
     * The width of the buckets of the coarsest {@code activity} table whose buckets fit whole into one of
     * {@code width}; 0 when none does and the events must be counted.
     */
    static long tableGrain(long width) {
        return Derivation.ACTIVITY_TABLES.keySet().stream().filter(grain -> grain <= width).max(Long::compare)
                .orElse(0L);
    }

    /** The cells of one lane as the timeline query returns them, by bucket. */
    private static final class LaneBuilder {
        private final int rank;
        private final ProcessKey process;
        private final String name;
        private final String image;
        private final List<Timeline.Cell> cells = new ArrayList<>();

        LaneBuilder(int rank, ProcessKey process, String name, String image) {
            this.rank = rank;
            this.process = process;
            this.name = name;
            this.image = image;
        }

        Timeline.Lane build() {
            return new Timeline.Lane(process, name, image, cells.stream().mapToLong(Timeline.Cell::events).sum(), cells);
        }
    }

    /**
     * What one process touched: images, files, endpoints, registry keys (top {@code topN} each by events, the
     * rest grouped by directory, parent key or host, at most {@code topN} groups) and its first {@code topN}
     * children.
     *
     * @throws IllegalArgumentException when the process does not exist or topN &lt; 1
     */
    public BehaviourGraph behaviourGraph(String vm, ProcessKey process, int topN) {
        if (topN < 1) {
            throw new IllegalArgumentException("topN must be at least 1, was " + topN);
        }
        ProcessKey key = new ProcessKey(vm, process.pid(), process.startNanos());
        ProcessNode node = process(key).orElseThrow(() -> new IllegalArgumentException(
                "no process " + key + " in VM " + vm + " (refresh after storing its events)"));
        try (Connection c = reader()) {
            List<BehaviourGraph.Child> children = new ArrayList<>();
            long childCount;
            List<Object> parent = List.of(vm, key.pid(), key.startNanos());
            String where = " FROM processes WHERE vm = ? AND ppid = ? AND parent_start_ns = ?";
            try (PreparedStatement q = c.prepareStatement("SELECT count(*)" + where)) {
                bind(q, parent);
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    childCount = r.getLong(1);
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT pid, start_ns, name, end_ns, events" + where
                    + " ORDER BY start_ns, pid LIMIT ?")) {
                List<Object> values = new ArrayList<>(parent);
                values.add(topN);
                bind(q, values);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        children.add(new BehaviourGraph.Child(new ProcessKey(vm, r.getInt(1), r.getLong(2)),
                                r.getString(3), r.getLong(2), r.getObject(4, Long.class), r.getLong(5)));
                    }
                }
            }
            return new BehaviourGraph(node, targets(c, key, "image", topN), targets(c, key, "file", topN),
                    targets(c, key, "endpoint", topN), targets(c, key, "registry", topN), children,
                    childCount - children.size());
        } catch (SQLException e) {
            throw failed("cannot build the behaviour graph of " + key, e);
        }
    }

    private static BehaviourGraph.Targets targets(Connection c, ProcessKey key, String edge, int topN)
            throws SQLException {
        String ranked = """
                WITH t AS (
                    SELECT target, grp, list_sort(list(DISTINCT operation)) AS ops, max(%s) AS acc,
                           sum(events)::BIGINT AS ev, min(first_ns) AS f, max(last_ns) AS l
                    FROM graph_edges WHERE vm = ? AND pid = ? AND start_ns = ? AND edge = ?
                    GROUP BY target, grp),
                r AS (SELECT *, row_number() OVER (ORDER BY ev DESC, target) AS rn, count(*) OVER () AS total FROM t)
                """.formatted(VmGraphs.ACCESS_RANK);
        List<Object> values = List.of(key.vm(), key.pid(), key.startNanos(), edge, topN);
        List<BehaviourGraph.Target> top = new ArrayList<>();
        long total = 0;
        try (PreparedStatement q = c.prepareStatement(ranked
                + "SELECT target, grp, ops, acc, ev, f, l, total FROM r WHERE rn <= ? ORDER BY rn")) {
            bind(q, values);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    top.add(new BehaviourGraph.Target(r.getString(1), r.getString(2), strings(r.getArray(3)),
                            access(r.getInt(4)), r.getLong(5), r.getLong(6), r.getLong(7)));
                    total = r.getLong(8);
                }
            }
        }
        List<BehaviourGraph.TargetGroup> groups = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(ranked + "SELECT grp, count(*), sum(ev)::BIGINT, min(f), max(l), "
                + "any_value(total) FROM r WHERE rn > ? GROUP BY grp ORDER BY 3 DESC, grp LIMIT ?")) {
            List<Object> grouped = new ArrayList<>(values);
            grouped.add(topN);
            bind(q, grouped);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    groups.add(new BehaviourGraph.TargetGroup(r.getString(1), r.getLong(2), r.getLong(3),
                            r.getLong(4), r.getLong(5)));
                    total = r.getLong(6);
                }
            }
        }
        return new BehaviourGraph.Targets(top, groups, total);
    }

    /** The access of a rank of {@link VmGraphs#ACCESS_RANK}. */
    static String access(int rank) {
        return switch (rank) {
            case 3 -> "delete";
            case 2 -> "write";
            case 1 -> "read";
            default -> "";
        };
    }

    /**
     * The behaviour graph of the whole VM (as of the last refresh): the {@code maxProcesses} busiest processes
     * with the ancestors that connect them (at most twice as many in all), linked to their parents and to the
     * {@code maxGroups} groups per kind of files, registry keys and hosts with the strongest access, then the
     * most events.
     *
     * @throws IllegalArgumentException when maxProcesses or maxGroups is below 1
     */
    public VmGraph vmGraph(String vm, int maxProcesses, int maxGroups) {
        if (maxProcesses < 1 || maxGroups < 1) {
            throw new IllegalArgumentException("a VM graph shows at least 1 process and 1 group per kind, not "
                    + maxProcesses + " and " + maxGroups);
        }
        List<ProcessNode> all = nodes(vm, "TRUE");
        try (Connection c = reader()) {
            return VmGraphs.build(c, vm, all, maxProcesses, maxGroups);
        } catch (SQLException e) {
            throw failed("cannot build the behaviour graph of " + vm, e);
        }
    }

    /**
     * Images executed, files written, files deleted and hosts contacted, for the VM and per process, as of
     * the last refresh. Each list shows the first {@link #SUMMARY_VALUES} values and counts them all.
     */
    public Summary summary(String vm) {
        String sql = """
                SELECT pid, start_ns, indicator, list_slice(list_sort(list(DISTINCT value)), 1, ?),
                       count(DISTINCT value), GROUPING(pid, start_ns) <> 0 AS whole_vm
                FROM (
                    SELECT pid, start_ns,
                           CASE WHEN edge = 'image' THEN 'image'
                                WHEN edge = 'file' AND access = 'write' THEN 'written'
                                WHEN edge = 'file' AND access = 'delete' THEN 'deleted'
                                WHEN edge = 'endpoint' AND operation NOT IN ('bind', 'listen') THEN 'host' END AS indicator,
                           CASE WHEN edge = 'endpoint' THEN grp ELSE target END AS value
                    FROM graph_edges WHERE vm = ?)
                WHERE indicator IS NOT NULL AND value <> ''
                GROUP BY GROUPING SETS ((pid, start_ns, indicator), (indicator))""";
        Map<ProcessKey, Map<String, Summary.Values>> perProcess = new HashMap<>();
        Map<String, Summary.Values> total = new HashMap<>();
        Map<ProcessKey, String> names = new HashMap<>();
        try (Connection c = reader()) {
            try (PreparedStatement q = c.prepareStatement(sql)) {
                bind(q, List.of(SUMMARY_VALUES, vm));
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        Summary.Values values = new Summary.Values(strings(r.getArray(4)), r.getLong(5));
                        if (r.getBoolean(6)) {
                            total.put(r.getString(3), values);
                        } else {
                            perProcess.computeIfAbsent(new ProcessKey(vm, r.getInt(1), r.getLong(2)),
                                    k -> new HashMap<>()).put(r.getString(3), values);
                        }
                    }
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT pid, start_ns, name FROM processes WHERE vm = ?")) {
                bind(q, List.of(vm));
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        ProcessKey key = new ProcessKey(vm, r.getInt(1), r.getLong(2));
                        if (perProcess.containsKey(key)) {
                            names.put(key, r.getString(3));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw failed("cannot summarise " + vm, e);
        }
        List<Summary.ProcessIndicators> processes = new ArrayList<>();
        perProcess.forEach((key, values) -> processes.add(new Summary.ProcessIndicators(key,
                names.getOrDefault(key, ""), indicators(values))));
        processes.sort(Comparator.comparingLong((Summary.ProcessIndicators p) -> p.process().startNanos())
                .thenComparingInt(p -> p.process().pid()));
        return new Summary(vm, indicators(total), processes);
    }

    private static Summary.Indicators indicators(Map<String, Summary.Values> values) {
        return new Summary.Indicators(values.getOrDefault("image", Summary.Values.NONE),
                values.getOrDefault("written", Summary.Values.NONE), values.getOrDefault("deleted", Summary.Values.NONE),
                values.getOrDefault("host", Summary.Values.NONE));
    }

    /** Marks this closed; later calls fail. Idempotent; the store stays open. */
    @Override
    public void close() {
        closed = true;
    }

    private ProcessTree tree(String vm, String condition, Object... values) {
        List<ProcessNode> rows = nodes(vm, condition, values);
        Map<ProcessKey, ProcessNode> byKey = new LinkedHashMap<>();
        rows.forEach(n -> byKey.put(n.key(), n));
        Map<ProcessKey, List<ProcessKey>> children = new HashMap<>();
        List<ProcessKey> roots = new ArrayList<>();
        for (ProcessNode n : rows) {
            if (n.parent() != null && byKey.containsKey(n.parent())) {
                children.computeIfAbsent(n.parent(), k -> new ArrayList<>()).add(n.key());
            } else {
                roots.add(n.key());
            }
        }
        List<ProcessNode> ordered = new ArrayList<>(rows.size());
        List<ProcessKey> shownRoots = new ArrayList<>();
        Set<ProcessKey> visited = new HashSet<>();
        for (ProcessKey root : roots) {
            walk(root, byKey, children, visited, ordered, shownRoots);
        }
        // Nodes still unvisited sit on a parent cycle (guest data): cut each cycle at its oldest member.
        for (ProcessNode n : rows) {
            if (!visited.contains(n.key())) {
                walk(n.key(), byKey, children, visited, ordered, shownRoots);
            }
        }
        return new ProcessTree(vm, shownRoots, ordered);
    }

    /** Depth-first from {@code root} without recursion, every node at most once. */
    private static void walk(ProcessKey root, Map<ProcessKey, ProcessNode> byKey,
                             Map<ProcessKey, List<ProcessKey>> children, Set<ProcessKey> visited,
                             List<ProcessNode> ordered, List<ProcessKey> roots) {
        record Step(ProcessKey key, ProcessKey parent, int depth) {
        }
        List<Step> stack = new ArrayList<>();
        stack.add(new Step(root, null, 0));
        roots.add(root);
        while (!stack.isEmpty()) {
            Step step = stack.remove(stack.size() - 1);
            if (!visited.add(step.key())) {
                continue;
            }
            List<ProcessKey> kids = children.getOrDefault(step.key(), List.of()).stream()
                    .filter(k -> !visited.contains(k)).toList();
            ProcessNode n = byKey.get(step.key());
            ordered.add(new ProcessNode(n.key(), n.ppid(), step.parent(), n.name(), n.image(), n.commandLine(),
                    n.uid(), n.startNanos(), n.endNanos(), n.endReason(), n.exitCode(), n.lifetime(),
                    n.kernelThread(), n.origin(), n.events(), step.depth(), kids));
            for (int i = kids.size() - 1; i >= 0; i--) {
                stack.add(new Step(kids.get(i), step.key(), step.depth() + 1));
            }
        }
    }

    private List<ProcessNode> nodes(String vm, String condition, Object... values) {
        List<Object> bound = new ArrayList<>();
        bound.add(vm);
        bound.addAll(Arrays.asList(values));
        List<ProcessNode> nodes = new ArrayList<>();
        try (Connection c = reader(); PreparedStatement q = c.prepareStatement("SELECT " + PROCESS_COLUMNS
                + " FROM processes WHERE vm = ? AND " + condition + " ORDER BY start_ns, pid")) {
            bind(q, bound);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    Long parentStart = r.getObject(5, Long.class);
                    int ppid = r.getInt(4);
                    nodes.add(new ProcessNode(new ProcessKey(vm, r.getInt(1), r.getLong(2)), ppid,
                            parentStart == null ? null : new ProcessKey(vm, ppid, parentStart), r.getString(6),
                            r.getString(7), r.getString(8), r.getLong(9), r.getLong(2), r.getObject(3, Long.class),
                            r.getString(12), r.getObject(13, Integer.class), Lifetime.valueOf(r.getString(11)),
                            r.getBoolean(14), r.getString(10), r.getLong(15), 0, List.of()));
                }
            }
        } catch (SQLException e) {
            throw failed("cannot read the processes of " + vm, e);
        }
        return nodes;
    }

    private Connection reader() {
        checkOpen();
        return store.openConnection();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this analysis is closed");
        }
    }

    private static void in(StringBuilder where, List<Object> values, String column, Set<String> wanted) {
        if (wanted.isEmpty()) {
            return;
        }
        where.append(" AND ").append(column).append(" IN (")
                .append(String.join(", ", Collections.nCopies(wanted.size(), "?"))).append(')');
        values.addAll(wanted.stream().sorted().toList());
    }

    private static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            statement.setObject(i + 1, values.get(i));
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] values = (Object[]) array.getArray();
        List<String> strings = new ArrayList<>(values.length);
        for (Object v : values) {
            strings.add(String.valueOf(v));
        }
        return strings;
    }

    private static AnalysisException failed(String what, SQLException e) {
        String message = e.getMessage() == null ? "unknown error" : e.getMessage().lines().findFirst().orElse("");
        return new AnalysisException(what + ": " + message, e);
    }
}
