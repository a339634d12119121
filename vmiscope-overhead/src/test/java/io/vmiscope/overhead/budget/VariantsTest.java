package io.vmiscope.overhead.budget;

import io.vmiscope.overhead.HookRates;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.vmiscope.overhead.budget.TestCatalog.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VariantsTest {

    private final TestCatalog catalog = new TestCatalog();
    private final HookRates rates = new HookRates("vm", 1.0, Map.of(
            "__x64_sys_read", 600.0, "__x64_sys_openat", 300.0, "__x64_sys_execve", 100.0, "do_syscall_64", 2000.0));

    private Variant request(String spec) {
        return Variant.requested(spec(spec), catalog.profile(spec(spec)));
    }

    @Test
    void fewerSyscalls_dropTheBusiestFirst_andKeepTheShareOfTheRemainingEvents() {
        Variant request = request("syscalls:execve,openat,read,close");

        List<Variant> fewer = FewerSyscalls.of(request.spec(), request.profile(), rates, catalog);

        // close is never reached: dropping it would buy nothing, so it stays in every variant
        assertThat(fewer).extracting(v -> v.spec().toString())
                .containsExactly("syscalls:close,execve,openat", "syscalls:close,execve");
        assertThat(fewer).extracting(Variant::coverage).containsExactly(0.4, 0.1);
        assertThat(fewer.get(1).label()).isEqualTo("syscalls:execve,openat,read,close without read, openat");
        assertThat(fewer.get(1).change()).isEqualTo("traces 2 of 4 syscalls");
        assertThat(fewer.get(1).profile().sites()).containsExactlyInAnyOrder("__x64_sys_close", "__x64_sys_execve");
        assertThat(fewer).extracting(v -> v.profile().id()).as("the model fitted on the request predicts them")
                .containsOnly("syscalls:execve,openat,read,close");
    }

    @Test
    void fewerSyscalls_nameEachSyscall_whateverItsEntrySymbolIsCalled() {
        HookRates lstats = new HookRates("vm", 1.0, Map.of("__x64_sys_newlstat", 500.0, "__x64_sys_execve", 100.0));
        Variant request = request("syscalls:execve,lstat");

        assertThat(FewerSyscalls.of(request.spec(), request.profile(), lstats, catalog)).singleElement()
                .satisfies(v -> {
                    assertThat(v.spec()).hasToString("syscalls:execve");
                    assertThat(v.name()).isEqualTo("syscalls:execve,lstat without lstat");
                    assertThat(v.coverage()).isCloseTo(1 / 6.0, within(1e-12));
                });
    }

    @Test
    void theCommonSyscallEntry_hasNoPerSyscallRates_soNoFewerSyscallVariants() {
        Variant request = request("syscalls:all");

        assertThat(FewerSyscalls.of(request.spec(), request.profile(), rates, catalog)).isEmpty();
        assertThat(Variants.of(request, rates, ProcessLifetimes.UNKNOWN, catalog, Duration.ofSeconds(4)))
                .extracting(Variant::label).containsExactly("syscalls:all on 3 s of every 4 s",
                        "syscalls:all on 2 s of every 4 s", "syscalls:all on 1 s of every 4 s",
                        "syscalls:all on 0.50 s of every 4 s", "syscalls:all on 0.50 s of every 8 s",
                        "syscalls:all on 0.50 s of every 16 s");
    }

    @Test
    void dutyCycles_scaleCoverageByTheirFraction_andStopAtPeriodicActions() {
        Variant fewer = new Variant("syscalls:execve", spec("syscalls:execve"), catalog.profile(spec("syscalls:execve")),
                DutyCycle.FULL, 0.4, "");

        assertThat(DutyCycles.of(fewer, Duration.ofSeconds(4))).extracting(Variant::coverage)
                .containsExactly(0.30000000000000004, 0.2, 0.1, 0.05, 0.025, 0.0125);
        assertThat(DutyCycles.of(request("pslist:5s"), Duration.ofSeconds(4))).isEmpty();
    }

    @Test
    void slowerSnapshots_withoutLifetimes_keepOneKthForASnapshotEveryKP() {
        Variant request = request("pslist:5s");

        List<Variant> slower = SlowerSnapshots.of(request.spec(), ProcessLifetimes.UNKNOWN, catalog);

        assertThat(slower).extracting(v -> v.spec().toString())
                .containsExactly("pslist:5s:unpaused", "pslist:10s", "pslist:20s", "pslist:40s");
        assertThat(slower).extracting(Variant::coverage).containsExactly(1.0, 0.5, 0.25, 0.125);
    }

    @Test
    void slowerChecks_keepFullCoverage_forWhatARootkitHidesStaysHidden() {
        Variant request = request("checks:hidden-processes:5s");

        List<Variant> slower = SlowerSnapshots.of(request.spec(), ProcessLifetimes.UNKNOWN, catalog);

        assertThat(slower).extracting(v -> v.spec().toString()).containsExactly(
                "checks:hidden-processes:10s", "checks:hidden-processes:20s", "checks:hidden-processes:40s");
        assertThat(slower).extracting(Variant::coverage).containsExactly(1.0, 1.0, 1.0);
        assertThat(slower).extracting(v -> v.profile().periodicKind()).containsOnly("checks:hidden-processes");
    }

    @Test
    void slowerSnapshots_withLifetimes_keepWhatLivesLongEnough() {
        Variant request = request("pslist:1s");
        // half the processes live 10 s (always seen), half 0.1 s
        ProcessLifetimes lifetimes = new ProcessLifetimes(List.of(10.0, 0.1), List.of());

        Variant every2s = SlowerSnapshots.of(request.spec(), lifetimes, catalog).get(1);

        assertThat(every2s.spec()).hasToString("pslist:2s");
        assertThat(every2s.coverage()).isCloseTo((1 + 0.05) / (1 + 0.1), within(1e-9));
    }

    @Test
    void processEvents_canBeReplacedBySnapshots_thatSeeWhatOutlivesThePeriod() {
        ProcessLifetimes lifetimes = new ProcessLifetimes(List.of(0.5, 3.0), List.of(20.0));

        List<Variant> snapshots = SnapshotsInsteadOfEvents.of(spec("procevents"), lifetimes, catalog);

        assertThat(snapshots).extracting(v -> v.spec().toString()).containsExactly("pslist:1s", "pslist:2s", "pslist:5s");
        assertThat(snapshots.get(0).coverage()).isCloseTo((0.5 + 1 + 1) / 3, within(1e-9));
        assertThat(snapshots.get(2).coverage()).isCloseTo((0.1 + 0.6 + 1) / 3, within(1e-9));
        assertThat(SnapshotsInsteadOfEvents.of(spec("procevents"), ProcessLifetimes.UNKNOWN, catalog))
                .allSatisfy(v -> assertThat(v.coverage()).isZero());
    }

    @Test
    void aStoppedVariant_seesNothing_andSaysSo() {
        Variant stopped = request("syscalls:all").stopped();

        assertThat(stopped.runs()).isFalse();
        assertThat(stopped.coverage()).isZero();
        assertThat(stopped.label()).isEqualTo("syscalls:all stopped");
    }
}
