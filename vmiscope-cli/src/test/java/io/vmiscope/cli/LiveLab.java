package io.vmiscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmiscope.detect.Detector;
import io.vmiscope.detect.sigma.RuleLoader;
import io.vmiscope.detect.sigma.SigmaDetector;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.Event;
import io.vmiscope.guest.GuestDistro;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.overhead.budget.Budget;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A guest (the demo guest unless a distro is named) watched live as {@code vmiscope demo} runs it (LiveUi, the default Sigma rules live), with the
 * actions the lab's scenarios need beside the demo's own: file and network events and the module-loading
 * syscalls. Read through the web API the demo serves. One per test class; {@link #close()} stops the session and
 * the VM.
 */
final class LiveLab implements AutoCloseable {

    final QemuVm vm;
    final LiveDemo demo;

    private LiveLab(QemuVm vm, LiveDemo demo) {
        this.vm = vm;
        this.demo = demo;
    }

    /** Boots a demo guest named {@code prefix-PID} and starts the live UI with detection on it. */
    static LiveLab start(String prefix) throws Exception {
        return start(GuestDistro.BUSYBOX, prefix, true);
    }

    /**
     * Boots a guest of {@code distro} named {@code prefix-PID} (KASLR on) and starts the live UI with detection on it.
     *
     * @param followUps whether the rules' follow-ups run (as the demo runs them) or only their alerts are raised
     */
    static LiveLab start(GuestDistro distro, String prefix, boolean followUps) throws Exception {
        QemuVm vm = TestGuests.boot(distro, prefix, true);
        Detector rules = new SigmaDetector(RuleLoader.load(List.of(), true, Set.of()));
        // no budget to speak of: the scenarios are about detection, not the controller
        return new LiveLab(vm, LiveDemo.start(vm, Budget.MOST, LiveAlertBench.LAB_ACTIONS,
                Optional.of(followUps ? rules : new AlertsOnly(rules))));
    }

    /** The rules' alerts without the follow-ups they ask for. */
    private record AlertsOnly(Detector rules) implements Detector {

        @Override
        public List<AlertEvent> accept(String eventId, Event event) {
            return rules.accept(eventId, event);
        }

        @Override
        public List<AlertEvent> finish() {
            return rules.finish();
        }
    }

    /** The stored event of this id, as the API returns it. */
    JsonNode event(String id) throws Exception {
        return demo.json(demo.vmPath() + "/events/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            demo.close();
        } finally {
            vm.stop();
        }
    }
}
