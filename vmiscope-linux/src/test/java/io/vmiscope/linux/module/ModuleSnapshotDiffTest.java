package io.vmiscope.linux.module;

import io.vmiscope.api.Gva;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleSnapshotDiffTest {

    private static ModuleInfo module(String name, long base, ModuleState state, long structAddress) {
        return new ModuleInfo(name, state, Gva.of(base), 0x4000, 1, Gva.of(structAddress));
    }

    private static ModuleInfo module(String name, long base) {
        return module(name, base, ModuleState.LIVE, base + 0x1000);
    }

    private static final ModuleInfo DUMMY = module("dummy", 0xffff_ffff_c000_0000L);
    private static final ModuleInfo NLMON = module("nlmon", 0xffff_ffff_c001_0000L);
    private static final ModuleInfo CORDIC = module("cordic", 0xffff_ffff_c002_0000L);

    @Test
    void between_sameLists_isEmpty() {
        ModuleSnapshotDiff diff = ModuleSnapshotDiff.between(List.of(DUMMY, NLMON), List.of(NLMON, DUMMY));

        assertThat(diff.isEmpty()).isTrue();
    }

    @Test
    void between_reportsWhatAppeared_andWhatDisappeared_inListOrder() {
        ModuleInfo other = module("other", 0xffff_ffff_c003_0000L);

        ModuleSnapshotDiff diff = ModuleSnapshotDiff.between(List.of(DUMMY, NLMON, other), List.of(CORDIC, DUMMY));

        assertThat(diff.appeared()).containsExactly(CORDIC);
        assertThat(diff.disappeared()).containsExactly(NLMON, other);
        assertThat(diff.isEmpty()).isFalse();
    }

    @Test
    void between_aModuleReloadedAtAnotherBase_disappearsAndAppears() {
        ModuleInfo reloaded = module("dummy", 0xffff_ffff_c004_0000L);

        ModuleSnapshotDiff diff = ModuleSnapshotDiff.between(List.of(DUMMY), List.of(reloaded));

        assertThat(diff.disappeared()).containsExactly(DUMMY);
        assertThat(diff.appeared()).containsExactly(reloaded);
    }

    @Test
    void between_ignoresStateChanges_ofTheSameModule() {
        ModuleInfo coming = module("dummy", DUMMY.base().value(), ModuleState.COMING, DUMMY.address().value());

        assertThat(ModuleSnapshotDiff.between(List.of(coming), List.of(DUMMY)).isEmpty()).isTrue();
    }

    @Test
    void between_countsDuplicates_likeAMultiset() {
        ModuleSnapshotDiff diff = ModuleSnapshotDiff.between(List.of(DUMMY), List.of(DUMMY, DUMMY));

        assertThat(diff.appeared()).containsExactly(DUMMY);
        assertThat(diff.disappeared()).isEmpty();
    }

    @Test
    void between_emptyAndFull_listsEverything() {
        assertThat(ModuleSnapshotDiff.between(List.of(), List.of(DUMMY, NLMON)).appeared()).containsExactly(DUMMY, NLMON);
        assertThat(ModuleSnapshotDiff.between(List.of(DUMMY, NLMON), List.of()).disappeared())
                .containsExactly(DUMMY, NLMON);
    }
}
