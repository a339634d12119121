package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.linux.image.ElfFile;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.syscall.SymbolIndex;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;

/**
 * What every IDT gate of a Linux x86-64 kernel should hold once it has booted, rebuilt from the image
 * the way {@code arch/x86/kernel/idt.c} fills {@code idt_table} (link-time addresses). Immutable and
 * thread-safe.
 *
 * <ol>
 *   <li>vectors 0–31: the early handlers {@code early_idt_handler_array + n × size}
 *       ({@code idt_setup_early_handler}; the stubs are left in place for the reserved vectors, in init
 *       text that is freed after boot — they are never raised);</li>
 *   <li>{@code early_idts}, {@code early_pf_idts}, {@code def_idts}, then {@code apic_idts} (the
 *       image's {@code struct idt_data} tables in init data, decoded with their BTF layout; the early
 *       ones install {@code #DB}, {@code #BP} and {@code #PF}): handler, segment and gate bits per
 *       vector;</li>
 *   <li>every other vector below the local APIC timer's ({@code FIRST_SYSTEM_VECTOR}):
 *       {@code irq_entries_start + 8 × (vector − 32)}, the rest {@code spurious_entries_start +
 *       8 × (vector − FIRST_SYSTEM_VECTOR)} ({@code idt_setup_apic_and_irq_gates}).</li>
 * </ol>
 */
public final class IdtLayout {

    /** Gates in an x86-64 IDT. */
    public static final int VECTORS = 256;
    /** Bytes per gate (Intel SDM 3A §6.14.1: 64-bit IDT gate descriptor). */
    public static final int GATE_BYTES = 16;
    /** {@code __KERNEL_CS}. */
    static final int KERNEL_CS = 0x10;
    /** Present, DPL 0, 64-bit interrupt gate: what {@code set_intr_gate} writes. */
    static final int INTERRUPT_GATE_BITS = 0x8e00;
    private static final int FIRST_EXTERNAL_VECTOR = 0x20;
    private static final int EXCEPTION_VECTORS = 32;
    /** {@code IDT_ALIGN} without IBT: each irq/spurious stub is 8 bytes. */
    private static final int STUB_BYTES = 8;
    /** The {@code idt_data} tables in the order {@code idt.c} applies them at boot. */
    private static final List<String> TABLES = List.of("early_idts", "early_pf_idts", "def_idts", "apic_idts");
    /** Entries read at most from one {@code idt_data} table (6.1 has about 30). */
    private static final int MAX_TABLE_ENTRIES = VECTORS;

    /**
     * The expected content of one gate.
     *
     * @param handler  link-time handler address
     * @param symbol   the handler as {@code "name"} or {@code "name+0x…"}
     * @param segment  code segment selector
     * @param bits     the gate's type/attribute word (bytes 4–5: IST, type, DPL, present)
     */
    public record Gate(long handler, String symbol, int segment, int bits) {
    }

    private final Gate[] gates;

    private IdtLayout(Gate[] gates) {
        this.gates = gates;
    }

    /**
     * Rebuilds the expected IDT.
     *
     * @throws ProfileException when the image lacks the symbols or tables named above
     */
    public static IdtLayout read(ElfFile image, KernelProfile profile) {
        Gate[] gates = new Gate[VECTORS];
        long early = profile.symbol("early_idt_handler_array");
        long common = profile.symbol("early_idt_handler_common");
        long earlySize = (common - early) / EXCEPTION_VECTORS;
        if (earlySize <= 0 || (common - early) % EXCEPTION_VECTORS != 0) {
            throw new ProfileException(profile.source() + ": early_idt_handler_array is not 32 equal stubs");
        }
        for (int v = 0; v < EXCEPTION_VECTORS; v++) {
            gates[v] = gate(early + v * earlySize, "early_idt_handler_array", early, KERNEL_CS, INTERRUPT_GATE_BITS);
        }
        StructLayout layout = profile.struct("idt_data");
        SymbolIndex symbols = new SymbolIndex(profile);
        for (String table : TABLES) {
            apply(gates, image, profile, symbols, layout, table);
        }
        long timer = profile.symbol("asm_sysvec_apic_timer_interrupt");
        int firstSystem = VECTORS;
        for (int v = FIRST_EXTERNAL_VECTOR; v < VECTORS; v++) {
            if (gates[v] != null && gates[v].handler() == timer) {
                firstSystem = v;
                break;
            }
        }
        long irq = profile.symbol("irq_entries_start");
        long spurious = profile.symbol("spurious_entries_start");
        for (int v = FIRST_EXTERNAL_VECTOR; v < VECTORS; v++) {
            if (gates[v] == null) {
                gates[v] = v < firstSystem
                        ? gate(irq + (long) STUB_BYTES * (v - FIRST_EXTERNAL_VECTOR), "irq_entries_start", irq,
                        KERNEL_CS, INTERRUPT_GATE_BITS)
                        : gate(spurious + (long) STUB_BYTES * (v - firstSystem), "spurious_entries_start", spurious,
                        KERNEL_CS, INTERRUPT_GATE_BITS);
            }
        }
        return new IdtLayout(gates);
    }

    /** A layout of 256 given gates (tests). */
    static IdtLayout of(Gate[] gates) {
        if (gates.length != VECTORS) {
            throw new IllegalArgumentException("an IDT has " + VECTORS + " gates, not " + gates.length);
        }
        return new IdtLayout(gates.clone());
    }

    /** The gate expected at {@code vector} (0–255). */
    public Gate expected(int vector) {
        return gates[vector];
    }

    private static Gate gate(long handler, String name, long base, int segment, int bits) {
        return new Gate(handler, handler == base ? name : name + "+0x" + Long.toHexString(handler - base), segment, bits);
    }

    /** Overrides gates with one {@code struct idt_data} table, bounded by the next symbol of the image. */
    private static void apply(Gate[] gates, ElfFile image, KernelProfile profile, SymbolIndex symbols,
                              StructLayout layout, String table) {
        OptionalLong symbol = profile.findSymbol(table);
        if (symbol.isEmpty()) {
            return; // e.g. no early_pf_idts: that kernel installs #PF from def_idts
        }
        long start = symbol.getAsLong();
        long next = symbols.next(start).orElse(start + (long) MAX_TABLE_ENTRIES * GATE_BYTES);
        int size = (int) layout.sizeBytes();
        long vectorAt = layout.offsetOf("vector");
        long segmentAt = layout.offsetOf("segment");
        long bitsAt = layout.offsetOf("bits");
        long addrAt = layout.offsetOf("addr");
        int entries = (int) Math.min(MAX_TABLE_ENTRIES, (next - start) / size);
        ByteBuffer bytes = image.bytesAt(start, entries * size);
        for (int i = 0; i < entries && (i + 1) * size <= bytes.limit(); i++) {
            int at = i * size;
            long vector = Integer.toUnsignedLong(bytes.getInt(at + (int) vectorAt));
            long handler = bytes.getLong(at + (int) addrAt);
            if (handler == 0 || vector >= VECTORS) {
                break; // alignment padding after the array
            }
            String name = symbols.describe(handler, null);
            gates[(int) vector] = new Gate(handler, name == null ? "0x" + Long.toHexString(handler) : name, bytes.getInt(at + (int) segmentAt) & 0xffff,
                    bytes.getShort(at + (int) bitsAt) & 0xffff);
        }
    }
}
