package io.vmiscope.linux.syscall;

import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.linux.symbols.ProfileException;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The table over a small crafted profile: read, write, open, close, and the ni_syscall stub. */
class SyscallTableTest {

    private static final long TEXT = 0xffff_ffff_8100_0000L;

    private static KernelProfile profile() {
        Map<String, KernelSymbol> symbols = new HashMap<>();
        long at = TEXT;
        for (String name : List.of("_text", "__x64_sys_read", "__x64_sys_write", "__x64_sys_open", "__x64_sys_close",
                "__x64_sys_ni_syscall", "__ia32_sys_read", "__ia32_compat_sys_open", "__x64_sys_chown16",
                "__x64_sys_gethostname.cold", "do_evil")) {
            at += name.equals("_text") ? 0 : 0x100;
            symbols.put(name, new KernelSymbol(name, at, 'T'));
        }
        symbols.put("ksys_write_alias", new KernelSymbol("ksys_write_alias", symbols.get("__x64_sys_write").address(), 'T'));
        symbols.put("_end", new KernelSymbol("_end", TEXT + 0x10_0000, 'B'));
        return new KernelProfile("crafted", "", "", symbols, Map.of());
    }

    private static byte[] table(long slide, String... symbols) {
        KernelProfile profile = profile();
        ByteBuffer buffer = ByteBuffer.allocate(symbols.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (String s : symbols) {
            buffer.putLong(profile.symbol(s) + slide);
        }
        return buffer.array();
    }

    @Test
    void aCraftedTableWithOneHookedEntry_reportsExactlyThatEntry() {
        long slide = 0x0a00_0000L;
        byte[] bytes = table(slide, "__x64_sys_read", "__x64_sys_write", "__x64_sys_open", "do_evil");

        LiveSyscallTable live = SyscallTable.verifyLive(profile(), bytes, slide);

        assertThat(live.entries()).extracting(LiveSyscallTable.Entry::symbol)
                .containsExactly("__x64_sys_read", "__x64_sys_write", "__x64_sys_open", "do_evil");
        assertThat(live.findings()).containsExactly(
                new SyscallHookFinding(3, "__x64_sys_close", profile().symbol("do_evil") + slide, "do_evil"));
        assertThat(live.isIntact()).isFalse();
        assertThat(live.findings().get(0).toString()).contains("sys_call_table[3]").contains("do_evil");
    }

    @Test
    void aPointerIntoTheMiddleOfAFunction_isNamedWithItsOffset() {
        ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(profile().symbol("__x64_sys_read") + 0x10);

        LiveSyscallTable live = SyscallTable.verifyLive(profile(), buffer.array(), 0);

        assertThat(live.findings()).singleElement()
                .satisfies(f -> assertThat(f.actualSymbol()).isEqualTo("__x64_sys_read+0x10"));
    }

    @Test
    void aliasesAtTheExpectedAddress_countAsExpected_andATrailingPartialPointerIsIgnored() {
        byte[] bytes = table(0, "__x64_sys_read", "__x64_sys_write");
        byte[] withPartial = java.util.Arrays.copyOf(bytes, bytes.length + 3);

        LiveSyscallTable live = SyscallTable.verifyLive(profile(), withPartial, 0);

        assertThat(live.entries()).hasSize(2);
        assertThat(live.isIntact()).isTrue();
    }

    @Test
    void pointersOutsideTheImage_haveNoSymbol() {
        ByteBuffer buffer = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(TEXT + 0x20_0000).putLong(0x4010_00L);

        LiveSyscallTable live = SyscallTable.verifyLive(profile(), buffer.array(), 0);

        assertThat(live.findings()).extracting(SyscallHookFinding::actualSymbol).containsOnlyNulls();
        assertThat(live.findings().get(0).toString()).contains("outside the kernel image");
    }

    @Test
    void theTableOfACraftedProfile_listsWhatItHas() {
        SyscallTable table = SyscallTable.fromProfile(profile());

        assertThat(table.all()).extracting(Syscall::name).containsExactly("read", "write", "open", "close", "chown16");
        assertThat(table.liveTableEntries()).isEqualTo(4);
        assertThat(table.ia32()).extracting(Syscall::symbol).containsExactly("__ia32_compat_sys_open", "__ia32_sys_read");
        assertThat(table.select("desc")).containsExactly("read", "write", "open", "close");
        assertThat(table.select("file")).containsExactly("open");
        assertThat(table.select("chown16")).containsExactly("chown16");
        assertThatThrownBy(() -> table.select("openat"))
                .hasMessageContaining("this kernel has no __x64_sys_openat");
    }

    @Test
    void aProfileWithoutPtRegs_isRefusedWithTheMissingStruct() {
        assertThatThrownBy(() -> PtRegsLayout.from(profile()))
                .isInstanceOf(ProfileException.class).hasMessageContaining("pt_regs");
    }
}
