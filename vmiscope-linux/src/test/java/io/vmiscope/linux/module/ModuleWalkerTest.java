package io.vmiscope.linux.module;

import io.vmiscope.api.Gva;
import io.vmiscope.linux.FakeLinux.FakeModule;
import io.vmiscope.linux.FakeLinux;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.symbols.StructMember;
import io.vmiscope.linux.walk.Anomaly;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.linux.walk.WalkResult;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModuleWalkerTest {

    private static final long SLIDE = 0x1a00_0000L;
    private static final int LIVE = 0;
    private static final int COMING = 1;
    private final FakeLinux linux = new FakeLinux(SLIDE);

    private WalkResult<ModuleInfo> walk(WalkLimits limits) {
        return new ModuleWalker(linux.memory(), linux.profile(), SLIDE, limits, 2048).walk();
    }

    private WalkResult<ModuleInfo> walk() {
        return walk(WalkLimits.DEFAULT);
    }

    @Test
    void walk_listsEveryModule_withNameStateCoreAndRefcount() {
        FakeModule dummy = linux.addModule("dummy", LIVE, 0x4000);
        FakeModule virtio = linux.addModule("virtio_net", LIVE, 0x1_3000);
        FakeModule nlmon = linux.addModule("nlmon", COMING, 0x2000);
        linux.setModuleRefcnt(virtio, 3);

        WalkResult<ModuleInfo> result = walk();

        assertThat(result.isComplete()).as("anomalies: %s", result.anomalies()).isTrue();
        assertThat(result.items()).containsExactly(
                new ModuleInfo("dummy", ModuleState.LIVE, Gva.of(dummy.address()), 0x4000, 1, Gva.of(dummy.address())),
                new ModuleInfo("virtio_net", ModuleState.LIVE, Gva.of(virtio.address()), 0x1_3000, 3,
                        Gva.of(virtio.address())),
                new ModuleInfo("nlmon", ModuleState.COMING, Gva.of(nlmon.address()), 0x2000, 1,
                        Gva.of(nlmon.address())));
    }

    @Test
    void walk_ofAnEmptyList_isCompleteAndEmpty() {
        WalkResult<ModuleInfo> result = walk();

        assertThat(result.isComplete()).isTrue();
        assertThat(result.items()).isEmpty();
    }

    @Test
    void walk_stopsAtCycle_andReportsAnomaly() {
        FakeModule a = linux.addModule("a", LIVE, 0x1000);
        linux.addModule("b", LIVE, 0x1000);
        FakeModule c = linux.addModule("c", LIVE, 0x1000);
        linux.setModuleNextRaw(c, a.listAddress()); // c → a instead of back to the head

        WalkResult<ModuleInfo> result = walk();

        assertThat(result.truncated()).isTrue();
        assertThat(result.items()).extracting(ModuleInfo::name).containsExactly("a", "b", "c");
        assertThat(result.anomalies()).extracting(Anomaly::kind).contains(Anomaly.Kind.CYCLE);
    }

    @Test
    void walk_stopsAtNonCanonicalPointer_andKeepsWhatItRead() {
        FakeModule a = linux.addModule("a", LIVE, 0x1000);
        linux.addModule("b", LIVE, 0x1000);
        linux.setModuleNextRaw(a, 0x4141_4141_4141_4141L);

        WalkResult<ModuleInfo> result = walk();

        assertThat(result.truncated()).isTrue();
        assertThat(result.items()).extracting(ModuleInfo::name).containsExactly("a");
        assertThat(result.anomalies()).singleElement().satisfies(an -> {
            assertThat(an.kind()).isEqualTo(Anomaly.Kind.WILD_POINTER);
            assertThat(an.where()).contains(Gva.of(a.address()).toString());
        });
    }

    @Test
    void walk_stopsAtUnmappedModule_andSaysWhere() {
        FakeModule a = linux.addModule("a", LIVE, 0x1000);
        linux.setModuleNextRaw(a, 0xffff_ffff_c0de_0008L);

        WalkResult<ModuleInfo> result = walk();

        assertThat(result.truncated()).isTrue();
        assertThat(result.items()).extracting(ModuleInfo::name).containsExactly("a");
        assertThat(result.anomalies()).singleElement().satisfies(an -> {
            assertThat(an.kind()).isEqualTo(Anomaly.Kind.UNMAPPED);
            assertThat(an.where()).contains("0xffffffffc0de0000");
        });
    }

    @Test
    void walk_flagsABackPointerThatDisagrees_asListCorruption() {
        linux.addModule("a", LIVE, 0x1000);
        FakeModule b = linux.addModule("b", LIVE, 0x1000);
        linux.setModulePrevRaw(b, 0xffff_8880_0000_1000L);

        WalkResult<ModuleInfo> result = walk();

        assertThat(result.truncated()).isFalse();
        assertThat(result.items()).hasSize(2);
        assertThat(result.anomalies()).singleElement().satisfies(an -> {
            assertThat(an.kind()).isEqualTo(Anomaly.Kind.LIST_CORRUPTION);
            assertThat(an.where()).contains(Gva.of(b.address()).toString());
        });
    }

    @Test
    void walk_flagsAModuleHiddenByUnlinking_throughTheHeadsBackPointer() {
        linux.addModule("a", LIVE, 0x1000);
        FakeModule b = linux.addModule("b", LIVE, 0x1000);
        linux.addModule("rootkit", LIVE, 0x1000);
        linux.setModuleNextRaw(b, linux.modulesHead()); // skipped going forward; the head's prev still names it

        WalkResult<ModuleInfo> result = walk();

        assertThat(result.items()).extracting(ModuleInfo::name).containsExactly("a", "b");
        assertThat(result.anomalies()).singleElement().satisfies(an -> {
            assertThat(an.kind()).isEqualTo(Anomaly.Kind.LIST_CORRUPTION);
            assertThat(an.where()).isEqualTo("modules list head " + Gva.of(linux.modulesHead()));
        });
    }

    @Test
    void walk_decodesAHostileName_safely_andFlagsTheMissingTerminator() {
        FakeModule m = linux.addModule("x", LIVE, 0x1000);
        byte[] raw = new byte[56];
        Arrays.fill(raw, (byte) 0xff); // no NUL, not UTF-8
        linux.setModuleNameRaw(m, raw);

        WalkResult<ModuleInfo> result = walk();

        assertThat(result.items()).singleElement().extracting(ModuleInfo::name).asString()
                .hasSize(56).matches("\uFFFD+");
        assertThat(result.anomalies()).singleElement().extracting(Anomaly::kind).isEqualTo(Anomaly.Kind.IMPLAUSIBLE);
        assertThat(result.truncated()).isFalse();
    }

    @Test
    void walk_capsTheName_atTheStringLimit() {
        FakeModule m = linux.addModule("x", LIVE, 0x1000);
        byte[] raw = new byte[56];
        Arrays.fill(raw, (byte) 'A');
        linux.setModuleNameRaw(m, raw);

        WalkResult<ModuleInfo> result = walk(new WalkLimits(100, 8, 4096));

        assertThat(result.items()).singleElement().extracting(ModuleInfo::name).isEqualTo("AAAAAAAA");
    }

    @Test
    void walk_flagsACoreOutsideTheModuleArea_orTooLarge_asImplausible() {
        FakeModule inKernelText = linux.addModule("a", LIVE, 0x1000);
        FakeModule huge = linux.addModule("b", LIVE, 0x1000);
        FakeModule fine = linux.addModule("c", LIVE, 0x1000);
        linux.setModuleCore(inKernelText, 0xffff_ffff_8100_0000L, 0x1000);
        linux.setModuleCore(huge, huge.address(), 0x7fff_f000);

        WalkResult<ModuleInfo> result = walk();

        assertThat(result.truncated()).isFalse();
        assertThat(result.items()).hasSize(3);
        assertThat(result.items().get(1).sizeBytes()).isEqualTo(0x7fff_f000L);
        assertThat(result.anomalies()).extracting(Anomaly::kind)
                .containsExactly(Anomaly.Kind.IMPLAUSIBLE, Anomaly.Kind.IMPLAUSIBLE);
        assertThat(result.anomalies()).extracting(Anomaly::where).containsExactly(
                "module " + Gva.of(inKernelText.address()), "module " + Gva.of(huge.address()));
        assertThat(result.anomalies()).noneMatch(an -> an.where().contains(Gva.of(fine.address()).toString()));
    }

    @Test
    void walk_flagsAnUnknownStateAndANegativeRefcount_asImplausible() {
        FakeModule m = linux.addModule("x", 7, 0x1000);
        linux.setModuleRefcnt(m, -5);

        WalkResult<ModuleInfo> result = walk();

        ModuleInfo info = result.items().get(0);
        assertThat(info.state()).isEqualTo(ModuleState.UNKNOWN);
        assertThat(info.refcount()).isEqualTo(-1);
        assertThat(result.anomalies()).extracting(Anomaly::detail).containsExactly("state is 7", "refcnt is -5");
    }

    @Test
    void walk_boundsAHugeList_byTheNodeLimit() {
        for (int i = 0; i < 300; i++) {
            linux.addModule("m" + i, LIVE, 0x1000);
        }

        WalkResult<ModuleInfo> result = walk(new WalkLimits(100, 256, 4096));

        assertThat(result.truncated()).isTrue();
        assertThat(result.items()).hasSize(100);
        assertThat(result.anomalies()).extracting(Anomaly::kind).containsExactly(Anomaly.Kind.LIMIT);
    }

    @Test
    void walk_costsOneRoundTripForTheHead_andOnePerModule() {
        linux.addModule("a", LIVE, 0x1000);
        linux.addModule("b", LIVE, 0x1000);
        linux.addModule("c", LIVE, 0x1000);
        ModuleWalker walker = new ModuleWalker(linux.memory(), linux.profile(), SLIDE, WalkLimits.DEFAULT, 2048);
        walker.walk(); // warms the translation caches, so that only the structs' reads are counted
        long before = linux.guest().stats().roundTrips();

        walker.walk();

        assertThat(linux.guest().stats().roundTrips() - before).isEqualTo(1 + 3);
    }

    @Test
    void construction_failsClearly_forTheModuleMemoryLayoutOfLinux64() {
        KernelProfile modern = withModuleStruct(new StructLayout("module", 0x400, List.of(
                new StructMember("state", 0, 32, "enum module_state"),
                new StructMember("list", 64, 128, "struct list_head"),
                new StructMember("name", 192, 448, "char[56]"),
                new StructMember("mem", 0x140 * 8, 7 * 0x50 * 8, "struct module_memory[7]"))));

        assertThatThrownBy(() -> new ModuleWalker(linux.memory(), modern, SLIDE, WalkLimits.DEFAULT, 2048))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("'mem'").hasMessageContaining("6.4");
    }

    @Test
    void construction_failsClearly_withoutTheModulesSymbol() {
        KernelProfile profile = linux.profile();
        Map<String, io.vmiscope.linux.symbols.KernelSymbol> symbols = new HashMap<>(profile.symbols());
        symbols.remove("modules");
        KernelProfile withoutModules = new KernelProfile(profile.source(), profile.buildId(), profile.banner(),
                symbols, profile.structs());

        assertThatThrownBy(() -> new ModuleWalker(linux.memory(), withoutModules, SLIDE, WalkLimits.DEFAULT, 2048))
                .isInstanceOf(ProfileException.class).hasMessageContaining("'modules'");
    }

    private KernelProfile withModuleStruct(StructLayout module) {
        KernelProfile profile = linux.profile();
        Map<String, StructLayout> structs = new HashMap<>(profile.structs());
        structs.put("module", module);
        return new KernelProfile(profile.source(), profile.buildId(), profile.banner(), profile.symbols(), structs);
    }

    @Test
    void isPlausibleCore_acceptsOnlyTheModuleArea_andSaneSizes() {
        assertThat(ModuleWalker.isPlausibleCore(0xffff_ffff_c000_0000L, 0x1000)).isTrue();
        assertThat(ModuleWalker.isPlausibleCore(0xffff_ffff_feff_e000L, 0x1000)).isTrue();
        assertThat(ModuleWalker.isPlausibleCore(0xffff_ffff_feff_f000L, 0x2000)).as("runs past MODULES_END").isFalse();
        assertThat(ModuleWalker.isPlausibleCore(0xffff_ffff_bfff_f000L, 0x1000)).as("below MODULES_VADDR").isFalse();
        assertThat(ModuleWalker.isPlausibleCore(0, 0x1000)).isFalse();
        assertThat(ModuleWalker.isPlausibleCore(0xffff_ffff_c000_0000L, 0)).isFalse();
        assertThat(ModuleWalker.isPlausibleCore(0xffff_ffff_c000_0000L, 64L << 20)).isFalse();
    }
}
