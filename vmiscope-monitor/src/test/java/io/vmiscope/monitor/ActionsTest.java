package io.vmiscope.monitor;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.linux.FakeLinux;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.walk.WalkLimits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Specs built on a fake Linux guest: each action's id is its spec's text, what its events carry. */
class ActionsTest {

    private final FakeLinux fake = new FakeLinux(0x0200_0000L);
    private final LinuxGuest linux = LinuxGuest.attach(fake.guest(), fake.profile(), WalkLimits.DEFAULT);

    @ParameterizedTest
    @ValueSource(strings = {"syscalls:openat", "syscalls:openat[pid=42;process=sh]", "procevents",
            "procevents[process=sh]", "pslist:1500ms:unpaused", "pslist:60s", "modules:2s"})
    void build_givesTheActionWhoseIdIsTheSpecsText(String text) {
        ActionSpec spec = ActionSpec.parse(text);

        assertThat(Actions.build(spec, linux, false).id()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"syscalls:openat", "procevents"})
    void build_withReturnValues_marksOnlyASyscallTrace(String text) {
        String id = Actions.build(ActionSpec.parse(text), linux, true).id();

        assertThat(id).isEqualTo(text.startsWith("syscalls") ? text + "+ret" : text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"syscalls:nosuchcall"})
    void build_ofWhatTheGuestLacks_saysWhatIsMissing(String text) {
        assertThatThrownBy(() -> Actions.build(ActionSpec.parse(text), linux, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nosuchcall");
    }
}
