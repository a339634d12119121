package io.vmiscope.overhead;

import java.util.List;

/** Predicts the slowdown a combination of actions causes on a workload (or a VM) with known hook rates. */
public interface SlowdownPredictor {

    /**
     * @param actions the actions that would run together (at least one)
     * @param rates   how often the workload reaches each site, and its unmonitored rate
     * @param vcpus   the VM's vCPU count
     */
    Prediction predict(List<ActionProfile> actions, HookRates rates, int vcpus);
}
