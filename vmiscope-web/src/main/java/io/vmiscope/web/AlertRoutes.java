package io.vmiscope.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.vmiscope.analysis.AlertQuery;
import io.vmiscope.analysis.AlertRow;
import io.vmiscope.analysis.Analysis;
import io.vmiscope.analysis.ProcessKey;
import io.vmiscope.analysis.ProcessNode;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.store.AlertMarks;

import java.util.List;
import java.util.Set;

/**
 * A VM's alerts (events of kind {@code alert}, docs/detection.md): filtered and paged, one with its evidence and
 * its process's ancestry, and the marks people set ({@link AlertMarks}). Setting a mark tells the browsers that
 * follow the VM to re-read their views.
 */
final class AlertRoutes {

    /** Ancestors shown with an alert at most (parent cycles in guest data end the chain too). */
    static final int MAX_ANCESTRY = 64;

    private final Analysis analysis;
    private final AlertMarks marks;
    private final VmRoutes vms;
    private final LiveStream stream;

    AlertRoutes(Analysis analysis, AlertMarks marks, VmRoutes vms, LiveStream stream) {
        this.analysis = analysis;
        this.marks = marks;
        this.vms = vms;
        this.stream = stream;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/vms/{vm}/alerts", this::list);
        routes.get("/api/vms/{vm}/alerts/{id}", this::detail);
        routes.put("/api/vms/{vm}/alerts/{id}/mark", this::mark);
    }

    private void list(Context ctx) {
        String vm = vms.vm(ctx);
        AlertQuery query = new AlertQuery(level(ctx), Params.list(ctx, "rule"), marks(ctx),
                Params.optionalInt(ctx, "pid", -1, Integer.MAX_VALUE), Params.text(ctx, "text"),
                Params.optionalLong(ctx, "from"), Params.optionalLong(ctx, "to"));
        String key = ctx.queryParam("process");
        if (key != null && !key.isBlank()) {
            query = within(query, process(vm, key));
        }
        ctx.json(AlertView.Page.of(analysis.alerts(vm, query, Params.intOr(ctx, "offset", 0, 0, Integer.MAX_VALUE),
                Params.intOr(ctx, "limit", VmRoutes.DEFAULT_PAGE, 1, VmRoutes.MAX_PAGE))));
    }

    /** The query narrowed to the process's pid within its lifetime. */
    private static AlertQuery within(AlertQuery query, ProcessNode node) {
        long from = Math.max(node.startNanos(), query.fromNanos() == null ? Long.MIN_VALUE : query.fromNanos());
        long to = Math.min(node.endNanos() == null ? Long.MAX_VALUE : node.endNanos(),
                query.toNanos() == null ? Long.MAX_VALUE : query.toNanos());
        return query.of(node.pid(), from, to);
    }

    private ProcessNode process(String vm, String text) {
        ProcessKey key = ProcessKeys.parse(vm, text);
        return analysis.process(key).orElseThrow(() -> ApiException.notFound("no process " + ProcessKeys.format(key)
                + " in VM '" + Params.cap(vm) + "'"));
    }

    private static AlertEvent.Level level(Context ctx) {
        String level = Params.text(ctx, "level");
        try {
            return level == null ? null : AlertEvent.Level.of(level.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'level' " + e.getMessage().substring("unknown alert level ".length()));
        }
    }

    private static Set<String> marks(Context ctx) {
        Set<String> wanted = Params.list(ctx, "mark");
        for (String mark : wanted) {
            if (!mark.equals(AlertQuery.UNMARKED)) {
                markOf(mark, AlertQuery.UNMARKED);
            }
        }
        return wanted;
    }

    /** The mark a name gives; a 400 naming the names known, {@code other} the one beside the marks. */
    private static AlertMarks.Mark markOf(String label, String other) {
        try {
            return AlertMarks.Mark.of(label);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'mark' must be acknowledged, false_positive or " + other + ", not '"
                    + Params.cap(label) + "'");
        }
    }

    private AlertRow alert(String vm, Context ctx) {
        String id = ctx.pathParam("id");
        return analysis.alert(vm, id).orElseThrow(() -> ApiException.notFound("no alert '" + Params.cap(id)
                + "' in VM '" + Params.cap(vm) + "'"));
    }

    private void detail(Context ctx) {
        String vm = vms.vm(ctx);
        AlertRow alert = alert(vm, ctx);
        ctx.json(new AlertView.Detail(vm, AlertView.of(alert),
                analysis.events(vm, alert.evidence()).stream().map(EventView::of).toList(),
                alert.process() == null ? List.of() : analysis.ancestry(alert.process(), MAX_ANCESTRY).stream()
                        .map(AlertView.Ancestor::of).toList()));
    }

    /** Sets, replaces or (mark null) clears the alert's mark; answers with the alert as it is now. */
    private void mark(Context ctx) {
        String vm = vms.vm(ctx);
        AlertRow alert = alert(vm, ctx);
        JsonNode body = Bodies.json(ctx);
        if (!body.has("mark")) {
            throw ApiException.badRequest("'mark' is required: acknowledged, false_positive or null");
        }
        String label = Bodies.optionalString(body, "mark");
        if (label == null) {
            marks.clear(alert.id());
        } else {
            marks.set(alert.id(), markOf(label, "null"), Bodies.optionalString(body, "note"));
        }
        stream.viewsChanged(vm);
        ctx.json(AlertView.of(analysis.alert(vm, alert.id()).orElseThrow()));
    }
}
