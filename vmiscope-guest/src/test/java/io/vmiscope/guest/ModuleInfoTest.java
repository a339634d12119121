package io.vmiscope.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ModuleInfoTest {

    private static final CloudKernel KERNEL = CloudKernel.fetchDefault();

    @Test
    void read_findsNameAndDepends_inTheModinfoSection() {
        ModuleInfo info = ModuleInfo.read(KERNEL.module("drivers/net/virtio_net.ko"));

        assertThat(info.name()).isEqualTo("virtio_net");
        assertThat(info.depends()).containsExactlyInAnyOrder("virtio_ring", "virtio", "net_failover");
    }

    @Test
    void read_givesNoDepends_forASelfContainedModule() {
        assertThat(ModuleInfo.read(KERNEL.module("drivers/net/dummy.ko")).depends()).isEmpty();
    }

    @Test
    void parse_rejectsAFileThatIsNotElf() {
        assertThatThrownBy(() -> ModuleInfo.parse("junk", new byte[128]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a little-endian ELF64");
    }

    @Test
    void parse_rejectsASectionTablePointingOutsideTheFile() throws Exception {
        byte[] elf = Files.readAllBytes(KERNEL.module("drivers/net/dummy.ko"));
        byte[] truncated = Arrays.copyOf(elf, 4096);

        assertThatThrownBy(() -> ModuleInfo.parse("truncated", truncated))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }

    @Test
    void loadOrder_putsDependenciesFirst_andRejectsUnknownModules() {
        assertThat(KERNEL.loadOrder(java.util.List.of("net_failover")))
                .containsExactly("net/core/failover.ko", "drivers/net/net_failover.ko");
        assertThatThrownBy(() -> KERNEL.loadOrder(java.util.List.of("no_such_module")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no_such_module");
    }
}
