package io.vmiscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmiscope.detect.sigma.RuleLoader;
import io.vmiscope.detect.sigma.SigmaDetector;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.overhead.budget.Budget;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The demo guest watched live as {@code vmiscope demo} runs it (LiveUi, the default Sigma rules live), with the
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
        QemuVm vm = TestGuests.boot(prefix);
        // no budget to speak of: the scenarios are about detection, not the controller
        return new LiveLab(vm, LiveDemo.start(vm, Budget.MOST, LiveAlertBench.LAB_ACTIONS,
                Optional.of(new SigmaDetector(RuleLoader.load(List.of(), true, Set.of())))));
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
