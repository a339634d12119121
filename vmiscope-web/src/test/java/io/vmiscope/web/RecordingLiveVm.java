package io.vmiscope.web;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.overhead.Prediction;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.session.live.ActionPreview;
import io.vmiscope.session.live.ActionStatus;
import io.vmiscope.session.live.ActionTemplate;
import io.vmiscope.session.live.LivePrediction;
import io.vmiscope.session.live.LiveVm;
import io.vmiscope.session.live.SlowdownEstimate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A live VM for the route tests: predicts 2% per action, records starts and stops (the real one is tested in the CLI). */
final class RecordingLiveVm implements LiveVm {

    final List<String> started = new ArrayList<>();
    final List<String> stopped = new ArrayList<>();
    Budget budget = new Budget(0.10);

    @Override
    public String name() {
        return TestStores.LINUX;
    }

    @Override
    public boolean monitoring() {
        return true;
    }

    @Override
    public List<ActionStatus> actions() {
        return started.stream().map(id -> new ActionStatus(id, !stopped.contains(id), 10, 5, 0, 1_000_000, 0.01,
                100_000, 200_000)).toList();
    }

    @Override
    public Optional<SlowdownEstimate> slowdown() {
        return Optional.of(new SlowdownEstimate(0.01, "VM-stopped time only (no model fitted for these actions, no probe)", true));
    }

    @Override
    public Optional<Budget> budget() {
        return Optional.of(budget);
    }

    @Override
    public void budget(Budget budget) {
        this.budget = budget;
    }

    @Override
    public List<ActionTemplate> templates() {
        return List.of(new ActionTemplate("trace-process", "Trace this process", true));
    }

    @Override
    public ActionPreview preview(String template, Integer pid) {
        if (!template.equals("trace-process")) {
            throw new IllegalArgumentException("no on-demand action '" + template + "'");
        }
        ActionSpec spec = ActionSpec.parse("syscalls:all").restrictedTo(ProcessFilter.pid(pid));
        ActionSpec file = ActionSpec.parse("syscalls:file");
        LivePrediction full = new LivePrediction(List.of(spec), new Prediction(0.30, 0.25, 0.35, Map.of(spec.toString(), 0.30)), "test");
        LivePrediction less = new LivePrediction(List.of(file), new Prediction(0.05, 0.04, 0.06,
                Map.of("syscalls:file", 0.05)), "test");
        LivePrediction boxed = new LivePrediction(List.of(spec), new Prediction(0.075, 0.06, 0.09, Map.of(spec.toString(), 0.075)), "test");
        return new ActionPreview(template, spec, "Trace this process", full, budget.maxSlowdown(), false, List.of(),
                List.of(new ActionPreview.Variant(file.restrictedTo(ProcessFilter.pid(pid)), "syscalls:file", 0.4, less, null, null),
                        new ActionPreview.Variant(spec, "syscalls:all on 1 s of every 4 s", 0.25, boxed, 1000L, 3000L)));
    }

    @Override
    public LivePrediction predict(List<ActionSpec> specs) {
        double each = 0.02 * specs.size();
        return new LivePrediction(specs, new Prediction(each, each * 0.8, each * 1.2, Map.of()), "test rates");
    }

    @Override
    public String start(ActionSpec spec, Duration on, Duration off) {
        started.add(on == null ? spec.toString() : spec + " on " + on.toMillis() + " ms, off " + off.toMillis() + " ms");
        return spec.toString();
    }

    @Override
    public void stop(String actionId) {
        stopped.add(actionId);
    }
}
