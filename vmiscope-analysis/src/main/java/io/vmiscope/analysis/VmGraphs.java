package io.vmiscope.analysis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link VmGraph} from the {@code processes} and {@code graph_edges} tables: which processes to
 * show (the busiest, then the ancestors that connect them, at most twice as many in all), which groups (per
 * kind, strongest access first, then most events), and the edges between them.
 */
final class VmGraphs {

    /** Access ranks as {@code graph_edges} values: delete &gt; write &gt; read &gt; none. */
    static final String ACCESS_RANK = "CASE access WHEN 'delete' THEN 3 WHEN 'write' THEN 2 WHEN 'read' THEN 1 ELSE 0 END";

    /** The groups of the three kinds, ranked per kind; binds vm. */
    private static final String GROUPS = """
            WITH g AS (SELECT CASE edge WHEN 'endpoint' THEN 'host' ELSE edge END AS kind, grp, target, events,
                              %s AS acc
                       FROM graph_edges WHERE vm = ? AND edge IN ('file', 'registry', 'endpoint'))
            SELECT kind, grp, count(DISTINCT target), min(target), sum(events)::BIGINT, max(acc),
                   row_number() OVER (PARTITION BY kind ORDER BY max(acc) DESC, sum(events) DESC, grp) AS rn,
                   count(*) OVER (PARTITION BY kind)
            FROM g GROUP BY kind, grp""".formatted(ACCESS_RANK);

    /** Each process's events on each group; binds vm. */
    private static final String LINKS = """
            SELECT pid, start_ns, CASE edge WHEN 'endpoint' THEN 'host' ELSE edge END AS kind, grp,
                   sum(events)::BIGINT, max(%s)
            FROM graph_edges WHERE vm = ? AND edge IN ('file', 'registry', 'endpoint')
            GROUP BY ALL""".formatted(ACCESS_RANK);

    private VmGraphs() {
    }

    /** The graph of {@code vm} over its processes {@code all}, with at most the given processes and groups per kind. */
    static VmGraph build(Connection c, String vm, List<ProcessNode> all, int maxProcesses, int maxGroups)
            throws SQLException {
        Map<ProcessKey, ProcessNode> byKey = new HashMap<>();
        Map<ProcessKey, Long> children = new HashMap<>();
        for (ProcessNode n : all) {
            byKey.put(n.key(), n);
        }
        for (ProcessNode n : all) {
            if (n.parent() != null && byKey.containsKey(n.parent())) {
                children.merge(n.parent(), 1L, Long::sum);
            }
        }
        Set<ProcessKey> shown = chooseProcesses(all, byKey, maxProcesses);
        List<VmGraph.Process> processes = new ArrayList<>();
        for (ProcessNode n : all) {
            if (shown.contains(n.key())) {
                processes.add(new VmGraph.Process(n.key(), shownAncestor(n, byKey, shown), n.name(), n.image(),
                        n.lifetime(), n.events(), children.getOrDefault(n.key(), 0L)));
            }
        }
        List<VmGraph.Resource> resources = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        Map<String, Long> hidden = new HashMap<>(Map.of("file", 0L, "registry", 0L, "host", 0L));
        try (PreparedStatement q = c.prepareStatement(GROUPS + " ORDER BY kind, rn")) {
            q.setString(1, vm);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    String kind = r.getString(1);
                    hidden.put(kind, Math.max(0, r.getLong(8) - maxGroups));
                    if (r.getLong(7) > maxGroups) {
                        continue;
                    }
                    long targets = r.getLong(3);
                    index.put(kind + '\n' + r.getString(2), resources.size());
                    resources.add(new VmGraph.Resource(kind, r.getString(2), targets, targets == 1 ? r.getString(4) : null,
                            r.getLong(5), kind.equals("host") ? "" : Analysis.access(r.getInt(6))));
                }
            }
        }
        List<VmGraph.Link> links = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(LINKS)) {
            q.setString(1, vm);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    ProcessKey key = new ProcessKey(vm, r.getInt(1), r.getLong(2));
                    Integer resource = index.get(r.getString(3) + '\n' + r.getString(4));
                    if (resource != null && shown.contains(key)) {
                        links.add(new VmGraph.Link(key, resource, r.getLong(5),
                                r.getString(3).equals("host") ? "" : Analysis.access(r.getInt(6))));
                    }
                }
            }
        }
        links.sort(Comparator.comparingInt(VmGraph.Link::resource).thenComparingLong(l -> l.process().startNanos())
                .thenComparingInt(l -> l.process().pid()));
        return new VmGraph(vm, processes, all.size() - processes.size(), resources, links, hidden);
    }

    /**
     * The busiest {@code max} processes with events (ties: the oldest first; when none has events, as in a
     * process list alone, the oldest), then their ancestors nearest first, until twice {@code max} are chosen:
     * a deep chain of forks in guest data stops there.
     */
    private static Set<ProcessKey> chooseProcesses(List<ProcessNode> all, Map<ProcessKey, ProcessNode> byKey, int max) {
        List<ProcessNode> active = all.stream().filter(n -> n.events() > 0).toList();
        List<ProcessNode> ranked = new ArrayList<>(active.isEmpty() ? all : active);
        ranked.sort(Comparator.comparingLong(ProcessNode::events).reversed()
                .thenComparingLong(ProcessNode::startNanos).thenComparingInt(ProcessNode::pid));
        Set<ProcessKey> chosen = new LinkedHashSet<>();
        for (ProcessNode n : ranked.subList(0, Math.min(max, ranked.size()))) {
            chosen.add(n.key());
        }
        int limit = 2 * max;
        for (ProcessKey start : List.copyOf(chosen)) {
            // an ancestor chosen already had its own ancestors added (or is one of the busiest, walked in turn)
            for (ProcessNode p = byKey.get(byKey.get(start).parent()); p != null && chosen.size() < limit
                    && chosen.add(p.key()); p = byKey.get(p.parent())) {
                // walking up
            }
        }
        return chosen;
    }

    /** The nearest ancestor of {@code n} that is shown, walking past hidden ones; {@code null} when none. */
    private static ProcessKey shownAncestor(ProcessNode n, Map<ProcessKey, ProcessNode> byKey, Set<ProcessKey> shown) {
        Set<ProcessKey> visited = new HashSet<>();
        for (ProcessKey k = n.parent(); k != null && byKey.containsKey(k) && visited.add(k); k = byKey.get(k).parent()) {
            if (shown.contains(k)) {
                return k.equals(n.key()) ? null : k;
            }
        }
        return null;
    }
}
