package io.vmiscope.overhead.workload;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkloadsTest {

    @Test
    void catalogue_holdsTheFiveWorkloads_byTheirLowerCaseNames() {
        assertThat(Workloads.all()).extracting(Workload::name)
                .containsExactly("web", "syscalls", "forkexec", "fileio", "cpu");
        assertThat(Workloads.byName("fileio").name()).isEqualTo("fileio");
    }

    @Test
    void byName_ofAnUnknownWorkload_listsTheKnownOnes() {
        assertThatThrownBy(() -> Workloads.byName("CPU"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown workload 'CPU'; known: web, syscalls, forkexec, fileio, cpu");
    }

    @Test
    void everyWorkload_saysWhatOneOperationIs() {
        assertThat(Workloads.all()).allSatisfy(w -> assertThat(w.operation()).isNotBlank());
    }

    @Test
    void guestLoop_writesItsPidBeforeAnythingElse_soItCanAlwaysBeStopped() {
        GuestLoopWorkload cpu = (GuestLoopWorkload) Workloads.byName("cpu");

        assertThat(cpu.loopScript().lines().limit(2))
                .containsExactly("set -e", "echo $$ >/tmp/vmiscope-wl/cpu.pid");
    }

    @Test
    void guestLoop_countsEachBatch_byItsNumberOfOperations() {
        GuestLoopWorkload loop = new GuestLoopWorkload("demo", "one thing", "", "do_thing", 7);

        assertThat(loop.loopScript()).contains("do_thing\ncount=$((count + 7)); echo $count >/tmp/vmiscope-wl/demo.count\n");
    }

    @Test
    void guestLoop_startCommand_fitsTheTestConsolesLineLimit() {
        // The test console takes commands of at most 2,900 bytes (docs/demo-guest.md).
        assertThat(Workloads.all()).filteredOn(GuestLoopWorkload.class::isInstance)
                .allSatisfy(w -> assertThat(((GuestLoopWorkload) w).startCommand()).hasSizeLessThan(2900));
    }

    @Test
    void guestLoop_rejectsNamesThatAreNotPlainFileNames() {
        assertThatThrownBy(() -> new GuestLoopWorkload("../x", "op", "", "true", 1))
                .hasMessage("a workload name is lower-case letters, was '../x'");
    }
}
