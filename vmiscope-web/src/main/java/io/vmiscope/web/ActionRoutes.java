package io.vmiscope.web;

import io.vmiscope.events.ActionSpec;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.session.live.ActionPreview;
import io.vmiscope.session.live.ActionStatus;
import io.vmiscope.session.live.ActionTemplate;
import io.vmiscope.session.live.LiveVm;
import io.vmiscope.session.live.LiveVms;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** On-demand introspection of a live VM: its templates and running actions, a cost preview, start and stop. */
final class ActionRoutes {

    private final LiveVms live;
    private final VmRoutes vms;
    private final LiveStream stream;

    ActionRoutes(LiveVms live, VmRoutes vms, LiveStream stream) {
        this.live = live;
        this.vms = vms;
        this.stream = stream;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/vms/{vm}/actions", this::list);
        routes.post("/api/vms/{vm}/actions/preview", this::preview);
        routes.post("/api/vms/{vm}/actions", this::start);
        routes.delete("/api/vms/{vm}/actions/{id}", this::stop);
    }

    record ActionsView(List<ActionTemplate> templates, List<ActionStatus> running) {
    }

    private LiveVm liveVm(Context ctx) {
        String vm = vms.vm(ctx);
        return live.find(vm).orElseThrow(() -> ApiException.notLive(vm));
    }

    private void list(Context ctx) {
        String vm = vms.vm(ctx);
        ctx.json(live.find(vm).map(v -> new ActionsView(v.templates(), v.actions().stream().filter(ActionStatus::running)
                .toList())).orElse(new ActionsView(List.of(), List.of())));
    }

    private void preview(Context ctx) {
        LiveVm vm = liveVm(ctx);
        JsonNode body = Bodies.json(ctx);
        ActionPreview preview = guarded(() -> vm.preview(Bodies.string(body, "template"), Bodies.optionalInt(body, "pid")));
        ctx.json(PreviewView.of(preview));
    }

    /** The preview with its predictions in the API's shape. */
    record PreviewView(String template, String spec, String label, PredictionView requested, double budget, boolean fits,
                       List<String> notes, List<VariantView> variants) {

        static PreviewView of(ActionPreview p) {
            Budget budget = new Budget(p.budget());
            return new PreviewView(p.template(), p.spec().toString(), p.label(), PredictionView.of(p.requested(), budget), p.budget(),
                    p.fits(), p.notes(), p.variants().stream().map(v -> new VariantView(v.spec().toString(), v.label(), v.coverage(),
                            PredictionView.of(v.prediction(), budget), v.onMillis(), v.offMillis())).toList());
        }
    }

    record VariantView(String spec, String label, double coverage, PredictionView prediction, Long onMillis,
                       Long offMillis) {
    }

    private void start(Context ctx) {
        LiveVm vm = liveVm(ctx);
        JsonNode body = Bodies.json(ctx);
        ActionSpec spec = Bodies.spec(body, "spec");
        Integer on = Bodies.optionalInt(body, "onMillis");
        Integer off = Bodies.optionalInt(body, "offMillis");
        if ((on == null) != (off == null) || (on != null && (on < 100 || off < 100))) {
            throw ApiException.badRequest("a time-boxed action needs both 'onMillis' and 'offMillis', each at least 100");
        }
        String id = guarded(() -> vm.start(spec, on == null ? null : Duration.ofMillis(on),
                off == null ? null : Duration.ofMillis(off)));
        stream.actionsChanged(vm.name());
        ctx.json(vm.actions().stream().filter(a -> a.id().equals(id)).findFirst()
                .orElse(new ActionStatus(id, true, 0, 0, 0, 0, 0.0, 0, 0)));
    }

    private void stop(Context ctx) {
        LiveVm vm = liveVm(ctx);
        String id = ctx.pathParam("id");
        if (vm.actions().stream().noneMatch(a -> a.id().equals(id) && a.running())) {
            throw ApiException.notFound("no running action '" + Params.cap(id) + "' on " + vm.name());
        }
        vm.stop(id);
        stream.actionsChanged(vm.name());
        ctx.json(Map.of("stopped", id));
    }

    /** The live side says what it cannot do with IllegalArgumentException: a 400 with its one line. */
    private static <T> T guarded(Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
