package io.vmiscope.linux.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ELF-64 little-endian executables: the named sections (each 16-byte aligned in the
 * file), a {@code .shstrtab}, one {@code PT_LOAD} per allocated section with data and one
 * {@code PT_NOTE} per note section.
 */
public final class TestElf {

    static final int SHT_PROGBITS = 1;
    static final int SHT_STRTAB = 3;
    static final int SHF_ALLOC = 2;

    private record Spec(String name, int type, long flags, long address, byte[] data, long nobitsSize) {
    }

    private final List<Spec> specs = new ArrayList<>();

    public TestElf progbits(String name, long address, byte[] data) {
        specs.add(new Spec(name, SHT_PROGBITS, SHF_ALLOC, address, data, 0));
        return this;
    }

    TestElf note(String name, long address, byte[] data) {
        specs.add(new Spec(name, ElfFile.SHT_NOTE, SHF_ALLOC, address, data, 0));
        return this;
    }

    TestElf nobits(String name, long address, long size) {
        specs.add(new Spec(name, ElfFile.SHT_NOBITS, SHF_ALLOC | 1, address, new byte[0], size));
        return this;
    }

    /** A GNU build-id note ({@code NT_GNU_BUILD_ID}) preceded by an unrelated note. */
    static byte[] buildIdNotes(byte[] id) {
        ByteBuffer notes = ByteBuffer.allocate(20 + 16 + id.length + 3).order(ByteOrder.LITTLE_ENDIAN);
        notes.putInt(4).putInt(4).putInt(6).put("Xen\0".getBytes(StandardCharsets.US_ASCII)).putInt(0x1234);
        notes.putInt(4).putInt(id.length).putInt(3).put("GNU\0".getBytes(StandardCharsets.US_ASCII)).put(id);
        return notes.array();
    }

    public byte[] build() {
        ByteArrayOutputStream strtab = new ByteArrayOutputStream();
        strtab.write(0);
        List<Integer> nameOffsets = new ArrayList<>();
        for (Spec s : specs) {
            nameOffsets.add(strtab.size());
            strtab.writeBytes((s.name + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        int shstrtabName = strtab.size();
        strtab.writeBytes(".shstrtab\0".getBytes(StandardCharsets.US_ASCII));

        List<long[]> phdrs = new ArrayList<>(); // type, offset, vaddr, filesz, memsz
        int phnum = 0;
        for (Spec s : specs) {
            if (s.type == SHT_PROGBITS || s.type == ElfFile.SHT_NOTE) {
                phnum += s.type == ElfFile.SHT_NOTE ? 2 : 1;
            }
        }
        int offset = align(64 + 56 * phnum, 16);
        long[] fileOffsets = new long[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            fileOffsets[i] = offset;
            offset = align(offset + specs.get(i).data.length, 16);
        }
        int strtabOffset = offset;
        offset = align(offset + strtab.size(), 16);
        int shoff = offset;
        int shnum = specs.size() + 2;
        ByteBuffer out = ByteBuffer.allocate(shoff + 64 * shnum).order(ByteOrder.LITTLE_ENDIAN);

        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            if (s.type == SHT_PROGBITS || s.type == ElfFile.SHT_NOTE) {
                phdrs.add(new long[] {ElfFile.PT_LOAD, fileOffsets[i], s.address, s.data.length, s.data.length});
            }
            if (s.type == ElfFile.SHT_NOTE) {
                phdrs.add(new long[] {ElfFile.PT_NOTE, fileOffsets[i], s.address, s.data.length, s.data.length});
            }
            out.put((int) fileOffsets[i], s.data);
        }
        out.put(strtabOffset, strtab.toByteArray());

        out.put(0, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        out.putShort(0x10, (short) 2).putShort(0x12, (short) 62).putInt(0x14, 1);
        out.putLong(0x18, specs.isEmpty() ? 0 : specs.get(0).address);
        out.putLong(0x20, 64).putLong(0x28, shoff);
        out.putShort(0x34, (short) 64).putShort(0x36, (short) 56).putShort(0x38, (short) phdrs.size());
        out.putShort(0x3a, (short) 64).putShort(0x3c, (short) shnum).putShort(0x3e, (short) (shnum - 1));
        for (int i = 0; i < phdrs.size(); i++) {
            long[] p = phdrs.get(i);
            int at = 64 + 56 * i;
            out.putInt(at, (int) p[0]).putInt(at + 4, 5).putLong(at + 8, p[1]).putLong(at + 16, p[2])
                    .putLong(at + 24, p[2]).putLong(at + 32, p[3]).putLong(at + 40, p[4]).putLong(at + 48, 16);
        }
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            putSection(out, shoff + 64 * (i + 1), nameOffsets.get(i), s.type, s.flags, s.address, fileOffsets[i],
                    s.type == ElfFile.SHT_NOBITS ? s.nobitsSize : s.data.length);
        }
        putSection(out, shoff + 64 * (shnum - 1), shstrtabName, SHT_STRTAB, 0, 0, strtabOffset, strtab.size());
        return out.array();
    }

    private static void putSection(ByteBuffer out, int at, int name, int type, long flags, long address,
                                   long offset, long size) {
        out.putInt(at, name).putInt(at + 4, type).putLong(at + 8, flags).putLong(at + 16, address)
                .putLong(at + 24, offset).putLong(at + 32, size).putLong(at + 48, 16);
    }

    private static int align(int value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
