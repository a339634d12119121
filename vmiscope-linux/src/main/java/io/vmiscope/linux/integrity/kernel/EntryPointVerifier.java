package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.api.Hex;
import io.vmiscope.linux.image.ElfFile;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.syscall.SymbolIndex;
import io.vmiscope.x86.GuestMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that every gate of the kernel's IDT ({@code idt_table}) holds the handler, segment and gate
 * bits the kernel installs there ({@link IdtLayout}). One read of 4 KiB; the VM must be stopped (the
 * caller pauses it). Guest bytes cannot steer the work: 256 gates are decoded, each at most one finding.
 * Not thread-safe.
 *
 * <p>Limits, measured on QEMU 7.2: the gdbstub's x86-64 target description has no {@code idtr}, and of
 * the MSRs only {@code efer} and the segment bases. The IDTR comes from the monitor's {@code info registers} through the stub ({@link #verify(List)});
 * {@code MSR_LSTAR} (the {@code syscall} entry) cannot be read at all, so the code at
 * {@code entry_SYSCALL_64} (where Linux 6.1 points LSTAR, with or without PTI) is left to
 * {@link KernelTextVerifier}.
 */
public final class EntryPointVerifier {

    private final GuestMemory memory;
    private final long slide;
    private final long idtTable;
    private final IdtLayout expected;
    private final SymbolIndex symbols;

    /**
     * @throws io.vmiscope.linux.symbols.ProfileException when the profile or image lacks what {@link IdtLayout} needs
     */
    public EntryPointVerifier(GuestMemory memory, KernelProfile profile, ElfFile image, long slide) {
        this(memory, profile, IdtLayout.read(image, profile), slide);
    }

    /** As the public constructor, with the expected IDT given (tests build it by hand). */
    EntryPointVerifier(GuestMemory memory, KernelProfile profile, IdtLayout expected, long slide) {
        this.memory = memory;
        this.slide = slide;
        this.idtTable = profile.symbol("idt_table");
        this.expected = expected;
        this.symbols = new SymbolIndex(profile);
    }

    /**
     * Reads the IDT and compares every gate.
     *
     * @return the gates that differ; a single finding for the whole table when it cannot be read
     */
    public List<EntryPointFinding> verify() {
        byte[] table;
        try {
            table = memory.read(AccessContext.kernel(Gva.of(idtTable + slide)), IdtLayout.VECTORS * IdtLayout.GATE_BYTES);
        } catch (GuestAccessException e) {
            return List.of(new EntryPointFinding("IDT (idt_table)", idtTable + slide, "idt_table", "idt_table",
                    "cannot be read: " + e.getMessage()));
        }
        return compare(table);
    }

    /**
     * As {@link #verify()}, and checks each vCPU's IDTR: it must point at a mapping of {@code idt_table}'s
     * page (Linux 6.1 loads the read-only alias in the CPU entry area, {@code CPU_ENTRY_AREA_RO_IDT}) with
     * the limit of 256 gates. A rootkit that loaded a table of its own with {@code lidt} is reported here.
     *
     * @param idtrs the vCPUs' IDT registers ({@link Idtr#parseAll} of the monitor's {@code info registers -a})
     */
    public List<EntryPointFinding> verify(List<Idtr> idtrs) {
        List<EntryPointFinding> findings = new ArrayList<>(verify());
        Gpa table;
        try {
            table = memory.translate(AccessContext.kernel(Gva.of(idtTable + slide))).gpa();
        } catch (GuestAccessException e) {
            return findings; // already reported by verify()
        }
        for (int i = 0; i < idtrs.size(); i++) {
            Idtr idtr = idtrs.get(i);
            List<String> details = new ArrayList<>(2);
            try {
                Gpa loaded = memory.translate(AccessContext.kernel(Gva.of(idtr.base()))).gpa();
                if (!loaded.equals(table)) {
                    details.add("its table is at physical " + loaded + ", idt_table at " + table);
                }
            } catch (GuestAccessException e) {
                details.add("its table cannot be translated: " + e.getMessage());
            }
            if (idtr.limit() != IdtLayout.VECTORS * IdtLayout.GATE_BYTES - 1) {
                details.add("limit 0x" + Integer.toHexString(idtr.limit()) + " instead of 0x"
                        + Integer.toHexString(IdtLayout.VECTORS * IdtLayout.GATE_BYTES - 1));
            }
            if (!details.isEmpty()) {
                findings.add(new EntryPointFinding("IDTR of vCPU " + i, idtr.base(), symbols.describe(idtr.base() - slide,
                        "idt_table"), "idt_table", String.join(", ", details)));
            }
        }
        return findings;
    }

    /** Compares a table's bytes (256 × 16, little-endian) with the expected gates. */
    List<EntryPointFinding> compare(byte[] table) {
        ByteBuffer gates = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        List<EntryPointFinding> findings = new ArrayList<>();
        for (int v = 0; v < IdtLayout.VECTORS && (v + 1) * IdtLayout.GATE_BYTES <= table.length; v++) {
            int at = v * IdtLayout.GATE_BYTES;
            // Intel SDM 3A §6.14.1: offset 15:0 at bytes 0-1, 31:16 at 6-7, 63:32 at 8-11
            long handler = Short.toUnsignedLong(gates.getShort(at)) | Short.toUnsignedLong(gates.getShort(at + 6)) << 16
                    | Integer.toUnsignedLong(gates.getInt(at + 8)) << 32;
            int segment = Short.toUnsignedInt(gates.getShort(at + 2));
            int bits = Short.toUnsignedInt(gates.getShort(at + 4));
            IdtLayout.Gate gate = expected.expected(v);
            List<String> details = new ArrayList<>(2);
            if (segment != gate.segment()) {
                details.add("segment 0x" + Integer.toHexString(segment) + " instead of 0x"
                        + Integer.toHexString(gate.segment()));
            }
            if (bits != gate.bits()) {
                details.add("gate bits 0x" + Integer.toHexString(bits) + " instead of 0x"
                        + Integer.toHexString(gate.bits()));
            }
            if (handler - slide != gate.handler() || !details.isEmpty()) {
                findings.add(new EntryPointFinding("IDT vector " + v, handler, symbols.describe(handler - slide,
                        gate.symbol()), gate.symbol(), String.join(", ", details)));
            }
        }
        return findings;
    }
}
