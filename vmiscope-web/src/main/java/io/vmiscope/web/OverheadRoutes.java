package io.vmiscope.web;

import io.vmiscope.events.ActionSpec;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.session.live.ActionStatus;
import io.vmiscope.session.live.LiveVm;
import io.vmiscope.session.live.LiveVms;
import io.vmiscope.session.live.SlowdownEstimate;
import io.vmiscope.store.EventReader;

import java.util.List;
import java.util.Optional;

/** Measured cost per action, the budget of a live VM and what-if predictions. */
final class OverheadRoutes {

    /** The most actions one what-if may combine. */
    static final int MAX_ACTIONS = 12;

    private final EventReader store;
    private final LiveVms live;
    private final VmRoutes vms;
    private final WorkloadWhatIf whatIf;
    private final LiveStream stream;

    OverheadRoutes(EventReader store, LiveVms live, VmRoutes vms, WorkloadWhatIf whatIf, LiveStream stream) {
        this.store = store;
        this.live = live;
        this.vms = vms;
        this.whatIf = whatIf;
        this.stream = stream;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/vms/{vm}/overhead", ctx -> ctx.json(overhead(vms.vm(ctx))));
        routes.put("/api/vms/{vm}/budget", this::budget);
        routes.post("/api/overhead/predict", this::predict);
        routes.get("/api/overhead/model", ctx -> ctx.json(whatIf.info()));
    }

    record OverheadView(String vm, boolean live, List<ActionStatus> actions, Double slowdown, String slowdownBasis,
                        Boolean slowdownLowerBound, Double budget, WorkloadWhatIf.ModelInfo model) {
    }

    private OverheadView overhead(String vm) {
        var running = live.find(vm);
        if (running.isPresent()) {
            LiveVm v = running.get();
            Optional<SlowdownEstimate> estimate = v.slowdown();
            return new OverheadView(vm, true, v.actions(), estimate.map(SlowdownEstimate::slowdown).orElse(null),
                    estimate.map(SlowdownEstimate::basis).orElse(null), estimate.map(SlowdownEstimate::lowerBound).orElse(null),
                    v.budget().map(Budget::maxSlowdown).orElse(null), whatIf.info());
        }
        List<ActionStatus> stored = store.costs(vm).stream().map(c -> new ActionStatus(c.action(), false, c.hits(),
                c.events(), c.periodicRuns(), c.stoppedNanos(), null, c.stoppedMedianNanos(), c.stoppedP99Nanos())).toList();
        return new OverheadView(vm, false, stored, null, null, null, null, whatIf.info());
    }

    private void budget(Context ctx) {
        String vm = vms.vm(ctx);
        LiveVm v = live.find(vm).orElseThrow(() -> ApiException.notLive(vm));
        JsonNode body = Bodies.json(ctx);
        JsonNode max = body.get("maxSlowdown");
        if (max == null || !max.isNumber() || !(max.asDouble() > 0) || max.asDouble() > 10) {
            throw ApiException.badRequest("'maxSlowdown' must be a number above 0 and at most 10 (0.10 is 10%)");
        }
        v.budget(new Budget(max.asDouble()));
        stream.actionsChanged(vm);
        ctx.json(overhead(vm));
    }

    private void predict(Context ctx) {
        JsonNode body = Bodies.json(ctx);
        List<ActionSpec> specs = Bodies.specs(body, "actions", MAX_ACTIONS);
        if (specs.isEmpty()) {
            throw ApiException.badRequest("'actions' needs at least one action spec");
        }
        String vm = Bodies.optionalString(body, "vm");
        String workload = Bodies.optionalString(body, "workload");
        if (vm != null && workload == null) {
            LiveVm v = live.find(vm).orElseThrow(() -> ApiException.notLive(vm));
            ctx.json(PredictionView.of(v.predict(specs), v.budget().orElse(null)));
        } else if (workload != null) {
            Budget budget = vm == null ? null : live.find(vm).flatMap(LiveVm::budget).orElse(null);
            ctx.json(PredictionView.of(whatIf.predict(specs, workload), budget));
        } else {
            throw ApiException.badRequest("name a live 'vm' or a measured 'workload'");
        }
    }
}
