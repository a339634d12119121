package io.vmiscope.session;

import io.vmiscope.detect.sigma.RuleLoader;
import io.vmiscope.detect.sigma.SigmaRule;
import io.vmiscope.events.ActionSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Which default rules see events with which running actions, and what the blind ones wait for. */
class DetectionCoverageTest {

    private static final List<SigmaRule> RULES = RuleLoader.load(List.of(), true, Set.of()).rules();
    /** A guest whose "process" group holds the module and uid calls; any other name is itself. */
    private static final Function<String, Set<String>> SYSCALLS = name -> switch (name) {
        case "process" -> Set.of("init_module", "finit_module", "setuid", "setreuid", "setresuid", "setfsuid", "execve");
        case "bogus" -> throw new IllegalArgumentException("unknown syscall or group 'bogus'");
        default -> Set.of(name);
    };

    private static DetectionCoverage with(String... running) {
        return DetectionCoverage.of(RULES, List.of(running).stream().map(ActionSpec::parse).toList(), SYSCALLS);
    }

    @Test
    void theDemosDefaults_leaveFileNetworkAndSyscallRulesBlind_andSayWhichActionEachNeeds() {
        DetectionCoverage c = with("pslist:5s", "procevents");
        assertThat(c.seeing()).isPositive().isLessThan(c.rules());
        assertThat(c.blind().keySet()).extracting(Object::toString)
                .contains("files", "network", "syscalls:init_module,finit_module");
        assertThat(c.describe()).startsWith("detection: " + c.seeing() + " of " + c.rules() + " live rules")
                .contains(" files (").contains("Kernel Module Loaded at Run Time");
    }

    @Test
    void everyInputRunning_leavesNoRuleBlind() {
        DetectionCoverage c = with("procevents", "files", "network", "syscalls:process,ptrace,process_vm_writev");
        assertThat(c.blind()).isEmpty();
        assertThat(c.seeing()).isEqualTo(c.rules());
        assertThat(c.describe()).endsWith("(all)");
    }

    @Test
    void anActionForSomeProcessesOnly_doesNotCountAsSeeing() {
        assertThat(with("procevents[pid=42]").seeing()).isZero();
        assertThat(with("syscalls:process[pid=42]").blind().keySet()).extracting(Object::toString)
                .contains("syscalls:init_module,finit_module");
    }

    @Test
    void aSyscallTraceMissingOneOfARulesCalls_leavesThatRuleBlind() {
        assertThat(with("syscalls:init_module").blind().keySet()).extracting(Object::toString)
                .contains("syscalls:init_module,finit_module");
        assertThat(with("syscalls:init_module,finit_module").blind().keySet()).extracting(Object::toString)
                .doesNotContain("syscalls:init_module,finit_module");
    }
}
