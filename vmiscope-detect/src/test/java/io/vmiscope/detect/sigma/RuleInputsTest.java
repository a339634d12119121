package io.vmiscope.detect.sigma;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What each default rule needs to run live, read from its logsources (and an auditd rule's syscall values). */
class RuleInputsTest {

    private static final Map<String, List<String>> INPUTS_BY_TITLE = RuleLoader.load(List.of(), true, Set.of()).rules()
            .stream().collect(Collectors.toMap(SigmaRule::title, r -> r.inputs().stream().map(Object::toString).toList(),
                    (a, b) -> a));

    @Test
    void aProcessCreationRule_needsProcessEvents() {
        assertThat(INPUTS_BY_TITLE.get("Web Server or CGI Spawns a Shell or Network Tool")).containsExactly("procevents");
    }

    @Test
    void fileAndNetworkRules_needTheirEventActions() {
        assertThat(INPUTS_BY_TITLE.get("Password Hashes Read by a Program That Is Not a Login Tool"))
                .containsExactly("files");
        assertThat(INPUTS_BY_TITLE.get("Log File under /var/log Truncated")).containsExactly("files");
        assertThat(INPUTS_BY_TITLE.values()).contains(List.of("network"));
    }

    @Test
    void anAuditdRule_needsTheSyscallsItsSelectionsName() {
        assertThat(INPUTS_BY_TITLE.get("Kernel Module Loaded at Run Time"))
                .containsExactly("syscalls:init_module,finit_module");
        assertThat(INPUTS_BY_TITLE.get("Non-Root Process Sets a User Id of 0"))
                .containsExactly("syscalls:setuid,setreuid,setresuid,setfsuid");
    }

    @Test
    void windowsRules_needNothingLive_theyReadImportedLogs() {
        assertThat(RuleLoader.load(List.of(), true, Set.of()).rules()).filteredOn(r -> r.logsources().stream()
                .allMatch(l -> l.product().equals(Logsource.WINDOWS))).isNotEmpty().allSatisfy(r ->
                assertThat(r.inputs()).isEmpty());
    }
}
