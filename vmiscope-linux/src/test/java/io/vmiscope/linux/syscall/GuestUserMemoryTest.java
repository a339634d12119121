package io.vmiscope.linux.syscall;

import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.walk.ReadPlan;
import io.vmiscope.testkit.FakeGuest;
import io.vmiscope.testkit.PageTableBuilder;
import io.vmiscope.x86.GuestMemory;
import io.vmiscope.x86.PagingMode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link UserMemory#of} over a {@link FakeGuest} with a process's page tables, and pt_regs read by plan. */
class GuestUserMemoryTest {

    private static final long USER_PAGE = 0x0000_7f00_0000_0000L;
    private static final long PT_REGS = 0xffff_8880_0010_0f58L;

    private final FakeGuest guest = new FakeGuest(64L << 20, 1);
    private final PageTableBuilder kernel = new PageTableBuilder(guest, 4, 0x0010_0000);
    private final PageTableBuilder process = new PageTableBuilder(guest, 4, 0x0080_0000);
    private final GuestMemory memory = new GuestMemory(guest, kernel.cr3(), PagingMode.FOUR_LEVEL);

    @Test
    void pathsAreReadThroughTheProcessPageTables_andUnmappedRangesAreEmptyInABatch() {
        process.mapFresh(USER_PAGE, 4096);
        process.writeVirtual(USER_PAGE + 0x10, "/etc/shadow\0".getBytes(StandardCharsets.US_ASCII));
        UserMemory user = UserMemory.of(memory, process.cr3());

        List<Optional<byte[]>> batch = user.readAll(List.of(new UserMemory.Range(USER_PAGE + 0x10, 12),
                new UserMemory.Range(USER_PAGE + 0x2000, 8), new UserMemory.Range(0xffff_8880_0000_0000L, 8)));

        assertThat(batch.get(0)).hasValueSatisfying(b -> assertThat(new String(b, 0, 11)).isEqualTo("/etc/shadow"));
        assertThat(batch.get(1)).isEmpty();
        assertThat(batch.get(2)).isEmpty();
        assertThat(SyscallDecoder.decode("unlink", new long[] {USER_PAGE + 0x10, 0, 0, 0, 0, 0}, user,
                DecodeLimits.DEFAULT).get(0).text()).isEqualTo("\"/etc/shadow\"");
    }

    @Test
    void kernelAddresses_areRefusedEvenWhenMapped() {
        kernel.mapFresh(0xffff_8880_0000_0000L, 4096);
        UserMemory user = UserMemory.of(memory, kernel.cr3());

        assertThat(user.userEndExclusive()).isEqualTo(UserMemory.USER_END_4_LEVEL);
        assertThatThrownBy(() -> user.read(0xffff_8880_0000_0000L, 8)).isInstanceOf(GuestAccessException.class)
                .hasMessageContaining("not a user-space range");
        assertThatThrownBy(() -> user.read(UserMemory.USER_END_4_LEVEL - 4, 8)).isInstanceOf(GuestAccessException.class);
    }

    @Test
    void theArgumentRegisters_comeFromOnePtRegsRead() {
        kernel.mapFresh(PT_REGS & -4096, 2 * 4096);
        PtRegsLayout layout = new PtRegsLayout(0x70, 0x68, 0x60, 0x38, 0x48, 0x40, 0x78, 0x50, 0x80, 0x98, 0x28, 0x58, 0x20);
        for (int i = 0; i < 6; i++) {
            long[] offsets = {0x70, 0x68, 0x60, 0x38, 0x48, 0x40};
            kernel.writeVirtualU64(PT_REGS + offsets[i], 100 + i);
        }
        kernel.writeVirtualU64(PT_REGS + 0x78, 257);
        kernel.writeVirtualU64(PT_REGS + 0x28, 0xffff_ffff_0000_0007L); // bx: only its low half counts for ia32
        kernel.writeVirtualU64(PT_REGS + 0x58, 8);  // cx
        kernel.writeVirtualU64(PT_REGS + 0x20, 9);  // bp
        ReadPlan plan = layout.readPlan(4096);

        ReadPlan.Block block = plan.read(memory, Gva.of(PT_REGS));

        assertThat(layout.arguments(block)).containsExactly(100, 101, 102, 103, 104, 105);
        assertThat(layout.ia32Arguments(block)).as("bx, cx, dx, si, di, bp").containsExactly(7, 8, 102, 101, 100, 9);
        assertThat(layout.syscallNumber(block)).isEqualTo(257);
        assertThat(layout.fields()).extracting(PtRegsLayout.Field::name)
                .containsExactly("di", "si", "dx", "r10", "r8", "r9", "orig_ax", "ax", "ip", "sp", "bx", "cx", "bp");
        assertThat(plan.readCount()).isEqualTo(1);
    }
}
