package io.vmiscope.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.vmiscope.analysis.Analysis;
import io.vmiscope.analysis.EventQuery;
import io.vmiscope.analysis.ProcessKey;
import io.vmiscope.analysis.ProcessNode;
import io.vmiscope.analysis.ProcessTree;
import io.vmiscope.analysis.TimeSpan;
import io.vmiscope.analysis.VmActivity;
import io.vmiscope.session.live.LiveVms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read-only views of a VM: overview, process tree, a process with its events and graph, the VM's graph,
 * timeline, events.
 */
final class VmRoutes {

    /** Targets of a kind in a behaviour graph before the rest are grouped, unless asked otherwise. */
    static final int GRAPH_TOP = 8;
    /** Processes (before their ancestors) and groups per kind in a VM's graph, unless asked otherwise. */
    static final int VM_GRAPH_PROCESSES = 30;
    static final int VM_GRAPH_GROUPS = 8;
    static final int DEFAULT_BUCKETS = 120;
    static final int MAX_BUCKETS = 2000;
    static final int DEFAULT_LANES = 40;
    static final int MAX_LANES = 500;
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;

    private final Analysis analysis;
    private final LiveVms live;

    VmRoutes(Analysis analysis, LiveVms live) {
        this.analysis = analysis;
        this.live = live;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/vms", ctx -> ctx.json(vms()));
        routes.get("/api/vms/{vm}/tree", this::tree);
        routes.get("/api/vms/{vm}/processes/{key}", ctx -> ctx.json(ProcessView.of(process(ctx))));
        routes.get("/api/vms/{vm}/processes/{key}/events", this::processEvents);
        routes.get("/api/vms/{vm}/processes/{key}/graph", this::graph);
        routes.get("/api/vms/{vm}/graph", this::vmGraph);
        routes.get("/api/vms/{vm}/timeline", this::timeline);
        routes.get("/api/vms/{vm}/events", this::events);
        routes.get("/api/vms/{vm}/events/{id}", this::event);
    }

    /** Live VMs first (by name), then the stored ones. */
    List<VmOverview> vms() {
        Map<String, VmActivity> stored = new LinkedHashMap<>();
        analysis.vms().forEach(v -> stored.put(v.vm(), v));
        List<VmOverview> all = new ArrayList<>();
        live.all().stream().sorted((a, b) -> a.name().compareTo(b.name()))
                .forEach(vm -> all.add(VmOverview.of(stored.remove(vm.name()), vm)));
        stored.values().forEach(v -> all.add(VmOverview.of(v, null)));
        return all;
    }

    /** The VM named in the path; 404 when neither stored nor live. */
    String vm(Context ctx) {
        return known(ctx).name();
    }

    /** A VM named in the path that the store or a live monitor knows, with its stored events' span. */
    private record KnownVm(String name, Optional<TimeSpan> span) {
    }

    /** The VM named in the path, and its span from the same query; 404 when neither stored nor live. */
    private KnownVm known(Context ctx) {
        String vm = ctx.pathParam("vm");
        Optional<TimeSpan> span = analysis.span(vm);
        if (span.isEmpty() && live.find(vm).isEmpty()) {
            throw ApiException.notFound("no VM '" + Params.cap(vm) + "' in this store");
        }
        return new KnownVm(vm, span);
    }

    private void tree(Context ctx) {
        KnownVm known = known(ctx);
        String vm = known.name();
        Long at = Params.optionalLong(ctx, "at");
        Long from = Params.optionalLong(ctx, "from");
        Long to = Params.optionalLong(ctx, "to");
        ProcessTree tree;
        if (at != null) {
            tree = analysis.processTree(vm, at);
        } else if (from != null || to != null) {
            tree = analysis.processTree(vm, from == null ? Long.MIN_VALUE : from, to == null ? Long.MAX_VALUE : to);
        } else {
            tree = analysis.processTree(vm);
        }
        Optional<TimeSpan> span = known.span();
        ctx.json(new TreeView(vm, span.map(TimeSpan::fromNanos).orElse(null), span.map(TimeSpan::toNanos).orElse(null),
                tree.roots().stream().map(ProcessKeys::format).toList(),
                tree.nodes().stream().map(ProcessView::of).toList()));
    }

    record TreeView(String vm, Long firstNanos, Long lastNanos, List<String> roots, List<ProcessView> processes) {
    }

    private ProcessNode process(Context ctx) {
        String vm = vm(ctx);
        ProcessKey key = ProcessKeys.parse(vm, ctx.pathParam("key"));
        return analysis.process(key).orElseThrow(() -> ApiException.notFound("no process " + ProcessKeys.format(key)
                + " in VM '" + Params.cap(vm) + "'"));
    }

    private void processEvents(Context ctx) {
        ProcessNode node = process(ctx);
        ctx.json(EventView.Page.of(analysis.processEvents(node.key().vm(), node.key(), query(ctx),
                Params.intOr(ctx, "offset", 0, 0, Integer.MAX_VALUE), Params.intOr(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE))));
    }

    private void graph(Context ctx) {
        ProcessNode node = process(ctx);
        ctx.json(GraphView.of(analysis.behaviourGraph(node.key().vm(), node.key(), Params.intOr(ctx, "top", GRAPH_TOP, 1, 50))));
    }

    private void vmGraph(Context ctx) {
        String vm = vm(ctx);
        ctx.json(VmGraphView.of(analysis.vmGraph(vm, Params.intOr(ctx, "processes", VM_GRAPH_PROCESSES, 1, 200),
                Params.intOr(ctx, "groups", VM_GRAPH_GROUPS, 1, 50))));
    }

    private void timeline(Context ctx) {
        KnownVm known = known(ctx);
        String vm = known.name();
        Optional<TimeSpan> span = known.span();
        if (span.isEmpty()) {
            ctx.json(new TimelineView(vm, 0, 1, 0, 0, TimelineView.CATEGORIES, List.of()));
            return;
        }
        // a 'to' not after 'from' is an IllegalArgumentException: a 400 with its one-line reason
        TimeSpan range = TimeSpan.requested(Params.optionalLong(ctx, "from"), Params.optionalLong(ctx, "to"), span.get());
        ctx.json(TimelineView.of(analysis.timeline(vm, range, Params.intOr(ctx, "buckets", DEFAULT_BUCKETS, 1, MAX_BUCKETS),
                Params.intOr(ctx, "lanes", DEFAULT_LANES, 1, MAX_LANES))));
    }

    private void events(Context ctx) {
        String vm = vm(ctx);
        ctx.json(EventView.Page.of(analysis.events(vm, Params.optionalInt(ctx, "pid", -1, Integer.MAX_VALUE), query(ctx),
                Params.intOr(ctx, "offset", 0, 0, Integer.MAX_VALUE), Params.intOr(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE))));
    }

    private void event(Context ctx) {
        String vm = vm(ctx);
        String id = ctx.pathParam("id");
        ctx.json(analysis.event(vm, id).map(d -> EventView.Detail.of(vm, EventView.of(d.event()), d.original()))
                .orElseThrow(() -> ApiException.notFound("no event '" + Params.cap(id) + "' in VM '" + Params.cap(vm) + "'")));
    }

    private static EventQuery query(Context ctx) {
        return new EventQuery(Params.list(ctx, "kind"), Params.list(ctx, "name"), Params.text(ctx, "text"),
                Params.optionalLong(ctx, "from"), Params.optionalLong(ctx, "to"));
    }
}
