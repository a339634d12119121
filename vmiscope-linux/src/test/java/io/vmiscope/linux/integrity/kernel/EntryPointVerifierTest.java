package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.testkit.FakeGuest;
import io.vmiscope.testkit.PageTableBuilder;
import io.vmiscope.x86.GuestMemory;
import io.vmiscope.x86.PagingMode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EntryPointVerifierTest {

    static final long TEXT = 0xffff_ffff_8100_0000L;
    static final long STUBS = TEXT + 0x1000;
    static final long OTHER = TEXT + 0x3000;
    static final long IDT = TEXT + 0x10_0000;
    static final long SLIDE = 0x400_0000L;

    static KernelProfile profile() {
        return new KernelProfile("test", "", "", Map.of(
                "_text", new KernelSymbol("_text", TEXT, 'T'),
                "stubs", new KernelSymbol("stubs", STUBS, 'T'),
                "other_function", new KernelSymbol("other_function", OTHER, 'T'),
                "idt_table", new KernelSymbol("idt_table", IDT, 'D'),
                "_end", new KernelSymbol("_end", IDT + 0x1000, 'B')), Map.of());
    }

    /** Every vector's handler is {@code stubs + 8 × vector}. */
    static IdtLayout layout() {
        IdtLayout.Gate[] gates = new IdtLayout.Gate[IdtLayout.VECTORS];
        for (int v = 0; v < gates.length; v++) {
            gates[v] = new IdtLayout.Gate(STUBS + 8L * v, v == 0 ? "stubs" : "stubs+0x" + Integer.toHexString(8 * v),
                    IdtLayout.KERNEL_CS, IdtLayout.INTERRUPT_GATE_BITS);
        }
        return IdtLayout.of(gates);
    }

    static EntryPointVerifier verifier(GuestMemory memory) {
        return new EntryPointVerifier(memory, profile(), layout(), SLIDE);
    }

    /** The IDT the kernel would have written at {@link #SLIDE}. */
    static byte[] table() {
        ByteBuffer gates = ByteBuffer.allocate(IdtLayout.VECTORS * IdtLayout.GATE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int v = 0; v < IdtLayout.VECTORS; v++) {
            gate(gates, v, STUBS + 8L * v + SLIDE);
        }
        return gates.array();
    }

    static void gate(ByteBuffer gates, int vector, long handler) {
        int at = vector * IdtLayout.GATE_BYTES;
        gates.putShort(at, (short) handler).putShort(at + 2, (short) IdtLayout.KERNEL_CS)
                .putShort(at + 4, (short) IdtLayout.INTERRUPT_GATE_BITS).putShort(at + 6, (short) (handler >>> 16))
                .putInt(at + 8, (int) (handler >>> 32)).putInt(at + 12, 0);
    }

    @Test
    void theKernelsOwnTable_hasNoFindings() {
        assertThat(verifier(null).compare(table())).isEmpty();
    }

    @Test
    void aRedirectedGate_namesItsVectorTheHandlerFound_andTheOneExpected() {
        byte[] table = table();
        gate(ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN), 14, OTHER + 0x10 + SLIDE);

        assertThat(verifier(null).compare(table)).singleElement().satisfies(f -> {
            assertThat(f.entry()).isEqualTo("IDT vector 14");
            assertThat(f.address()).isEqualTo(OTHER + 0x10 + SLIDE);
            assertThat(f.actualSymbol()).isEqualTo("other_function+0x10");
            assertThat(f.expectedSymbol()).isEqualTo("stubs+0x70");
            assertThat(f.toString()).isEqualTo("IDT vector 14 points to 0xffffffff85003010 (other_function+0x10), "
                    + "expected stubs+0x70");
        });
    }

    @Test
    void aGateOpenedToUserMode_isReportedEvenWithItsHandlerInPlace() {
        byte[] table = table();
        ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN).putShort(14 * IdtLayout.GATE_BYTES + 4, (short) 0xee00);

        assertThat(verifier(null).compare(table)).singleElement().satisfies(f ->
                assertThat(f.detail()).isEqualTo("gate bits 0xee00 instead of 0x8e00"));
    }

    @Test
    void anUnmappedTable_isOneFinding() {
        FakeGuest guest = new FakeGuest();
        PageTableBuilder tables = new PageTableBuilder(guest, 4, 0x10_0000);
        GuestMemory memory = new GuestMemory(guest, tables.cr3(), PagingMode.FOUR_LEVEL);

        assertThat(verifier(memory).verify()).singleElement().satisfies(f ->
                assertThat(f.detail()).startsWith("cannot be read: "));
    }

    /** A guest whose idt_table (slid) and its CPU-entry-area alias map the same page holding {@link #table()}. */
    static GuestMemory guestWithIdt(long aliasTarget) {
        FakeGuest guest = new FakeGuest();
        PageTableBuilder tables = new PageTableBuilder(guest, 4, 0x10_0000);
        tables.map4k(IDT + SLIDE, 0x20_0000);
        tables.map4k(CEA_RO_IDT, aliasTarget);
        guest.write(io.vmiscope.api.Gpa.of(0x20_0000), table());
        return new GuestMemory(guest, tables.cr3(), PagingMode.FOUR_LEVEL);
    }

    static final long CEA_RO_IDT = 0xffff_fe00_0000_0000L;

    @Test
    void anIdtrOnTheReadOnlyAliasOfIdtTable_isFine() {
        assertThat(verifier(guestWithIdt(0x20_0000)).verify(List.of(new Idtr(CEA_RO_IDT, 0xfff)))).isEmpty();
    }

    @Test
    void anIdtrOnATableOfItsOwn_orWithAnotherLimit_isReportedForItsVcpu() {
        List<EntryPointFinding> findings = verifier(guestWithIdt(0x30_0000)).verify(List.of(
                new Idtr(CEA_RO_IDT, 0xfff), new Idtr(IDT + SLIDE, 0x7ff)));

        assertThat(findings).hasSize(2);
        assertThat(findings.get(0).entry()).isEqualTo("IDTR of vCPU 0");
        assertThat(findings.get(0).detail()).isEqualTo("its table is at physical 0x0000000000300000, idt_table at 0x0000000000200000");
        assertThat(findings.get(1).entry()).isEqualTo("IDTR of vCPU 1");
        assertThat(findings.get(1).actualSymbol()).isEqualTo("idt_table");
        assertThat(findings.get(1).detail()).isEqualTo("limit 0x7ff instead of 0xfff");
    }

    @Test
    void idtrLines_areReadFromTheMonitorsInfoRegisters_onePerVcpu() {
        String output = "CPU#0\nRAX=0000000000000000 RBX=0\nGDT=     fffffe0000001000 0000007f\n"
                + "IDT=     fffffe0000000000 00000fff\nCR0=80050033\nCPU#1\nIDT=     ffffffff82a00000 000007ff\n";

        assertThat(Idtr.parseAll(output)).containsExactly(new Idtr(CEA_RO_IDT, 0xfff), new Idtr(0xffff_ffff_82a0_0000L, 0x7ff));
        assertThat(Idtr.parseAll("no registers here")).isEmpty();
    }
}
