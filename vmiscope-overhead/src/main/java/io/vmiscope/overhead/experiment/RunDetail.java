package io.vmiscope.overhead.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.events.CostSummary;
import io.vmiscope.overhead.ActionProfile;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code detail} JSON of a stored run: what the model needs beyond the indexed columns.
 *
 * @param vcpus          the VM's vCPU count
 * @param actions        the actions' profiles
 * @param stopsBySite    stops per hooked function in the window
 * @param stoppedSeconds VM-stopped time in the window
 * @param costs          each action's costs
 */
record RunDetail(int vcpus, List<Profile> actions, Map<String, Long> stopsBySite, double stoppedSeconds,
                 List<CostSummary> costs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An {@link ActionProfile} in JSON: the period in milliseconds, -1 for none. */
    record Profile(String id, Set<String> sites, long periodMillis, boolean pausesVm) {

        static Profile of(ActionProfile p) {
            return new Profile(p.id(), p.sites(), p.periodic() ? p.period().toMillis() : -1, p.pausesVm());
        }

        ActionProfile profile() {
            return new ActionProfile(id, sites, periodMillis < 0 ? null : Duration.ofMillis(periodMillis), pausesVm);
        }
    }

    static RunDetail of(int vcpus, Window window) {
        return new RunDetail(vcpus, window.actions().stream().map(Profile::of).toList(), window.stopsBySite(),
                window.stoppedSeconds(), window.costs());
    }

    List<ActionProfile> profiles() {
        return actions.stream().map(Profile::profile).toList();
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a run's detail as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static RunDetail fromJson(String json) {
        try {
            return JSON.readValue(json, RunDetail.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a stored run's detail is not what vmiscope wrote: " + e.getOriginalMessage(), e);
        }
    }
}
