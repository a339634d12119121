package io.vmiscope.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a kernel module file says about itself in its {@code .modinfo} ELF section, the same data
 * {@code modinfo} prints: its name and the modules it depends on. Needed because Debian's kernel
 * package ships no {@code modules.dep}.
 *
 * @param name    the module name ({@code name=}), e.g. {@code virtio_net}
 * @param depends the module names from {@code depends=}, empty for a self-contained module
 */
public record ModuleInfo(String name, List<String> depends) {

    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final int ELFCLASS64 = 2;
    private static final int ELFDATA2LSB = 1;
    private static final int SECTION_HEADER_MIN_BYTES = 64;
    /** Modules are small; a bigger file is not a module. */
    private static final long MAX_MODULE_BYTES = 64L << 20;

    public ModuleInfo {
        depends = List.copyOf(depends);
    }

    /**
     * Reads the {@code .modinfo} section of an uncompressed x86-64 {@code .ko} file.
     *
     * @throws IllegalArgumentException when the file is not a little-endian ELF64 object with a
     *                                  {@code .modinfo} section holding a {@code name=}
     */
    public static ModuleInfo read(Path ko) {
        try {
            if (Files.size(ko) > MAX_MODULE_BYTES) {
                throw new IllegalArgumentException(ko + " is too large to be a kernel module");
            }
            return parse(ko.toString(), Files.readAllBytes(ko));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ko + ": " + e.getMessage(), e);
        }
    }

    static ModuleInfo parse(String what, byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < 64 || !Arrays.equals(Arrays.copyOf(elf, 4), ELF_MAGIC)
                || elf[4] != ELFCLASS64 || elf[5] != ELFDATA2LSB) {
            throw new IllegalArgumentException(what + " is not a little-endian ELF64 file");
        }
        // ELF64 header: e_shoff at 0x28, e_shentsize 0x3a, e_shnum 0x3c, e_shstrndx 0x3e.
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
        int shnum = Short.toUnsignedInt(b.getShort(0x3c));
        int shstrndx = Short.toUnsignedInt(b.getShort(0x3e));
        if (shentsize < SECTION_HEADER_MIN_BYTES || shstrndx >= shnum
                || shoff < 0 || shoff + (long) shnum * shentsize > elf.length) {
            throw new IllegalArgumentException(what + " has a malformed section header table");
        }
        byte[] names = section(what, elf, b, shoff + (long) shstrndx * shentsize);
        for (int i = 0; i < shnum; i++) {
            long header = shoff + (long) i * shentsize;
            if (".modinfo".equals(cString(names, b.getInt((int) header)))) {
                return fromModinfo(what, section(what, elf, b, header));
            }
        }
        throw new IllegalArgumentException(what + " has no .modinfo section");
    }

    /** Section header: sh_name 0x00, sh_offset 0x18, sh_size 0x20. */
    private static byte[] section(String what, byte[] elf, ByteBuffer b, long header) {
        long offset = b.getLong((int) header + 0x18);
        long size = b.getLong((int) header + 0x20);
        if (offset < 0 || size < 0 || offset + size > elf.length) {
            throw new IllegalArgumentException(what + " has a section outside the file");
        }
        return Arrays.copyOfRange(elf, (int) offset, (int) (offset + size));
    }

    private static String cString(byte[] table, int offset) {
        if (offset < 0 || offset >= table.length) {
            return "";
        }
        int end = offset;
        while (end < table.length && table[end] != 0) {
            end++;
        }
        return new String(table, offset, end - offset, StandardCharsets.US_ASCII);
    }

    private static ModuleInfo fromModinfo(String what, byte[] modinfo) {
        String name = null;
        List<String> depends = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= modinfo.length; i++) {
            if (i == modinfo.length || modinfo[i] == 0) {
                String entry = new String(modinfo, start, i - start, StandardCharsets.US_ASCII);
                if (entry.startsWith("name=")) {
                    name = entry.substring("name=".length());
                } else if (entry.startsWith("depends=") && entry.length() > "depends=".length()) {
                    depends.addAll(Arrays.asList(entry.substring("depends=".length()).split(",")));
                }
                start = i + 1;
            }
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " has no name= in .modinfo");
        }
        return new ModuleInfo(name, depends);
    }
}
