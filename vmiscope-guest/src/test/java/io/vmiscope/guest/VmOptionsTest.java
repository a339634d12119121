package io.vmiscope.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class VmOptionsTest {

    @Test
    void defaults_keepKaslrOn_andUseTheSerialConsole() {
        VmOptions options = VmOptions.named("demo");

        assertThat(options.memoryMb()).isEqualTo(256);
        assertThat(options.accelerator()).isEqualTo(Accelerator.AUTO);
        assertThat(options.kernelCommandLine()).isEqualTo("console=ttyS0 panic=-1 no_timer_check");
    }

    @Test
    void nokaslr_andExtraArguments_goOnTheKernelCommandLine() {
        VmOptions options = VmOptions.named("demo").withKaslr(false).withExtraKernelArgs(List.of("loglevel=3"));

        assertThat(options.kernelCommandLine()).isEqualTo("console=ttyS0 panic=-1 no_timer_check nokaslr loglevel=3");
    }

    @Test
    void construction_rejectsBadNames_sizes_andArguments() {
        assertThatThrownBy(() -> VmOptions.named("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VmOptions.named("demo").withVcpus(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VmOptions.named("demo").withMemoryMb(16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VmOptions.named("demo").withExtraKernelArgs(List.of("a\"b")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
