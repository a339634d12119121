package io.vmiscope.linux.image;

import io.vmiscope.linux.symbols.ProfileException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A 64-bit little-endian ELF file (such as a {@code vmlinux}) read from a byte buffer: section and
 * program headers, section contents, virtual-address → file-offset mapping and the GNU build id.
 *
 * <p>All headers are read and checked when the file is parsed: every table, name and section or
 * segment extent must lie inside the buffer, otherwise {@link #parse} throws a
 * {@link ProfileException} naming the problem — a truncated or corrupted file never surfaces as an
 * {@code IndexOutOfBoundsException}. The buffer is not copied; it must not change afterwards.
 * Instances are immutable and thread-safe: every buffer handed out is an independent read-only view
 * in little-endian order.
 *
 * <p>Reference: System V ABI, "Object Files" chapter (ELF-64 layout).
 */
public final class ElfFile {

    /** {@code sh_type} of a section that occupies no file space ({@code .bss}). */
    public static final int SHT_NOBITS = 8;
    /** {@code sh_type} of a note section. */
    public static final int SHT_NOTE = 7;
    /** {@code p_type} of a loadable segment. */
    public static final int PT_LOAD = 1;
    /** {@code p_type} of a note segment. */
    public static final int PT_NOTE = 4;

    private static final int EHDR_SIZE = 64;
    private static final int SHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;
    private static final int MAX_SECTION_NAME_BYTES = 256;
    private static final int MAX_NOTES = 4096;
    private static final int NT_GNU_BUILD_ID = 3;
    private static final int MAX_BUILD_ID_BYTES = 64;

    /**
     * One section header.
     *
     * @param index     position in the section header table
     * @param name      from the section name string table ({@code ""} for section 0)
     * @param type      {@code sh_type}
     * @param flags     {@code sh_flags}
     * @param address   {@code sh_addr}, the link-time virtual address (0 when not allocated)
     * @param offset    {@code sh_offset}, in bytes from the start of the file
     * @param sizeBytes {@code sh_size}
     */
    public record Section(int index, String name, int type, long flags, long address, long offset, long sizeBytes) {

        /** Whether the section has bytes in the file (every type except {@code SHT_NOBITS}). */
        public boolean hasFileData() {
            return type != SHT_NOBITS && type != 0;
        }
    }

    /**
     * One program header.
     *
     * @param type          {@code p_type}
     * @param flags         {@code p_flags}
     * @param offset        {@code p_offset}, in bytes from the start of the file
     * @param address       {@code p_vaddr}
     * @param physAddress   {@code p_paddr}
     * @param fileSizeBytes {@code p_filesz}
     * @param memSizeBytes  {@code p_memsz}
     */
    public record Segment(int type, int flags, long offset, long address, long physAddress,
                          long fileSizeBytes, long memSizeBytes) {
    }

    private final String source;
    private final ByteBuffer buffer;
    private final int type;
    private final int machine;
    private final long entry;
    private final List<Section> sections;
    private final List<Segment> segments;

    private ElfFile(String source, ByteBuffer buffer, int type, int machine, long entry,
                    List<Section> sections, List<Segment> segments) {
        this.source = source;
        this.buffer = buffer;
        this.type = type;
        this.machine = machine;
        this.entry = entry;
        this.sections = sections;
        this.segments = segments;
    }

    /** Whether the buffer starts with the ELF magic {@code 7f 'E' 'L' 'F'}. */
    public static boolean hasElfMagic(ByteBuffer data) {
        return data.limit() >= 4 && data.get(0) == 0x7f && data.get(1) == 'E' && data.get(2) == 'L' && data.get(3) == 'F';
    }

    /**
     * Parses and validates the headers.
     *
     * @param data   the whole file, from index 0 to its limit; not copied, must not change afterwards
     * @param source a name for messages, usually the file name
     * @throws ProfileException when the data is not a 64-bit little-endian ELF file or a header points
     *                          outside it
     */
    public static ElfFile parse(ByteBuffer data, String source) {
        ByteBuffer buf = data.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
        long size = buf.limit();
        if (!hasElfMagic(buf)) {
            throw fail(source, "no ELF magic");
        }
        if (size < EHDR_SIZE) {
            throw fail(source, "truncated ELF header (" + size + " bytes, need " + EHDR_SIZE + ")");
        }
        int elfClass = buf.get(4);
        int encoding = buf.get(5);
        if (elfClass != 2 || encoding != 1) {
            throw fail(source, "only 64-bit little-endian ELF is supported (EI_CLASS=" + elfClass
                    + ", EI_DATA=" + encoding + ")");
        }
        int type = Short.toUnsignedInt(buf.getShort(0x10));
        int machine = Short.toUnsignedInt(buf.getShort(0x12));
        long entry = buf.getLong(0x18);
        long phoff = buf.getLong(0x20);
        long shoff = buf.getLong(0x28);
        int phentsize = Short.toUnsignedInt(buf.getShort(0x36));
        int phnum = Short.toUnsignedInt(buf.getShort(0x38));
        int shentsize = Short.toUnsignedInt(buf.getShort(0x3a));
        int shnum = Short.toUnsignedInt(buf.getShort(0x3c));
        int shstrndx = Short.toUnsignedInt(buf.getShort(0x3e));

        List<Segment> segments = readSegments(buf, source, phoff, phentsize, phnum);
        List<Section> sections = readSections(buf, source, shoff, shentsize, shnum, shstrndx);
        return new ElfFile(source, buf.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN), type, machine, entry,
                sections, segments);
    }

    private static List<Segment> readSegments(ByteBuffer buf, String source, long phoff, int phentsize, int phnum) {
        if (phnum == 0) {
            return List.of();
        }
        if (phentsize < PHDR_SIZE) {
            throw fail(source, "program header entry size " + phentsize + " is smaller than " + PHDR_SIZE);
        }
        checkRange(buf, source, "program header table", phoff, (long) phentsize * phnum);
        List<Segment> segments = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) i * phentsize);
            Segment segment = new Segment(buf.getInt(at), buf.getInt(at + 4), buf.getLong(at + 8),
                    buf.getLong(at + 16), buf.getLong(at + 24), buf.getLong(at + 32), buf.getLong(at + 40));
            if (segment.type() == PT_LOAD || segment.type() == PT_NOTE) {
                checkRange(buf, source, "segment " + i + " (p_type " + segment.type() + ")",
                        segment.offset(), segment.fileSizeBytes());
            }
            segments.add(segment);
        }
        return List.copyOf(segments);
    }

    private static List<Section> readSections(ByteBuffer buf, String source, long shoff, int shentsize,
                                              int shnum, int shstrndx) {
        if (shoff == 0) {
            return List.of();
        }
        if (shentsize < SHDR_SIZE) {
            throw fail(source, "section header entry size " + shentsize + " is smaller than " + SHDR_SIZE);
        }
        checkRange(buf, source, "section header table", shoff, SHDR_SIZE);
        // ELF-64 §"Sections": with 0xff00 or more sections, e_shnum is 0 and section 0's sh_size holds
        // the count; an e_shstrndx of SHN_XINDEX (0xffff) means section 0's sh_link holds the index.
        int first = (int) shoff;
        long count = shnum == 0 ? buf.getLong(first + 0x20) : shnum;
        long stringIndex = shstrndx == 0xffff ? Integer.toUnsignedLong(buf.getInt(first + 0x28)) : shstrndx;
        if (count > buf.limit() / SHDR_SIZE) {
            throw fail(source, "section count " + count + " cannot fit in the file");
        }
        checkRange(buf, source, "section header table", shoff, (long) shentsize * count);
        int n = (int) count;
        long[][] raw = new long[n][];
        for (int i = 0; i < n; i++) {
            int at = (int) (shoff + (long) i * shentsize);
            raw[i] = new long[] {Integer.toUnsignedLong(buf.getInt(at)), Integer.toUnsignedLong(buf.getInt(at + 4)),
                    buf.getLong(at + 8), buf.getLong(at + 16), buf.getLong(at + 24), buf.getLong(at + 32)};
            if (raw[i][1] != SHT_NOBITS && raw[i][1] != 0) {
                checkRange(buf, source, "section " + i, raw[i][4], raw[i][5]);
            }
        }
        long namesOffset = 0;
        long namesSize = 0;
        if (stringIndex != 0) {
            if (stringIndex >= n) {
                throw fail(source, "section name table index " + stringIndex + " out of range (" + n + " sections)");
            }
            namesOffset = raw[(int) stringIndex][4];
            namesSize = raw[(int) stringIndex][5];
        }
        List<Section> sections = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = stringIndex == 0 ? "" : sectionName(buf, source, namesOffset, namesSize, raw[i][0], i);
            sections.add(new Section(i, name, (int) raw[i][1], raw[i][2], raw[i][3], raw[i][4], raw[i][5]));
        }
        return List.copyOf(sections);
    }

    private static String sectionName(ByteBuffer buf, String source, long tableOffset, long tableSize,
                                      long nameOffset, int index) {
        if (nameOffset >= tableSize) {
            throw fail(source, "section " + index + " name offset " + nameOffset
                    + " outside the section name table (" + tableSize + " bytes)");
        }
        int start = (int) (tableOffset + nameOffset);
        int end = (int) Math.min(tableOffset + tableSize, start + (long) MAX_SECTION_NAME_BYTES);
        for (int i = start; i < end; i++) {
            if (buf.get(i) == 0) {
                byte[] bytes = new byte[i - start];
                buf.get(start, bytes);
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
        }
        throw fail(source, "section " + index + " name is not NUL-terminated within "
                + MAX_SECTION_NAME_BYTES + " bytes");
    }

    private static void checkRange(ByteBuffer buf, String source, String what, long offset, long length) {
        long size = buf.limit();
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw fail(source, what + " [0x" + Long.toHexString(offset) + " + 0x" + Long.toHexString(length)
                    + "] extends past the end of the file (0x" + Long.toHexString(size) + " bytes): truncated or corrupted");
        }
    }

    private static ProfileException fail(String source, String problem) {
        return new ProfileException(source + ": " + problem);
    }

    /** The name used in messages. */
    public String source() {
        return source;
    }

    /** {@code e_type} (2 = executable, as for {@code vmlinux}). */
    public int type() {
        return type;
    }

    /** {@code e_machine} (62 = x86-64). */
    public int machine() {
        return machine;
    }

    /** {@code e_entry}. */
    public long entry() {
        return entry;
    }

    /** Size of the file in bytes. */
    public long sizeBytes() {
        return buffer.limit();
    }

    /** The whole file: a read-only little-endian view, position 0. */
    public ByteBuffer bytes() {
        return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Section headers in table order (section 0, the null section, included). */
    public List<Section> sections() {
        return sections;
    }

    /** Program headers in table order. */
    public List<Segment> segments() {
        return segments;
    }

    /** The first section with this name. */
    public Optional<Section> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * The bytes of the first section with this name: a read-only little-endian view, position 0.
     * Empty when there is no such section or it has no file data ({@code SHT_NOBITS}).
     */
    public Optional<ByteBuffer> sectionData(String name) {
        return section(name).filter(Section::hasFileData).map(s -> slice(s.offset(), s.sizeBytes()));
    }

    /**
     * The file offset holding the byte at a link-time virtual address, through the {@code PT_LOAD}
     * segments first, then through allocated sections with file data. Empty when no file byte backs
     * that address (unmapped, or in the zero-filled tail of a segment).
     */
    public OptionalLong fileOffset(long address) {
        for (Segment s : segments) {
            if (s.type() == PT_LOAD && contains(s.address(), s.fileSizeBytes(), address)) {
                return OptionalLong.of(s.offset() + (address - s.address()));
            }
        }
        for (Section s : sections) {
            if (s.hasFileData() && s.address() != 0 && contains(s.address(), s.sizeBytes(), address)) {
                return OptionalLong.of(s.offset() + (address - s.address()));
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Up to {@code maxLength} file bytes starting at a link-time virtual address: fewer when the file
     * ends first. A read-only little-endian view.
     *
     * @throws ProfileException when no file byte backs {@code address}
     */
    public ByteBuffer bytesAt(long address, int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength " + maxLength);
        }
        long offset = fileOffset(address).orElseThrow(() -> fail(source,
                "address 0x" + Long.toHexString(address) + " is not backed by any PT_LOAD segment or section"));
        return slice(offset, Math.min(maxLength, buffer.limit() - offset));
    }

    /**
     * The GNU build id ({@code NT_GNU_BUILD_ID} note) as lower-case hex, looked up in the
     * {@code PT_NOTE} segments and then in the note sections. Empty when there is none; malformed notes
     * end the search of their container silently.
     */
    public Optional<String> buildId() {
        for (Segment s : segments) {
            if (s.type() == PT_NOTE) {
                Optional<String> id = buildIdIn(s.offset(), s.fileSizeBytes());
                if (id.isPresent()) {
                    return id;
                }
            }
        }
        for (Section s : sections) {
            if (s.type() == SHT_NOTE) {
                Optional<String> id = buildIdIn(s.offset(), s.sizeBytes());
                if (id.isPresent()) {
                    return id;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> buildIdIn(long offset, long length) {
        // ELF-64 note entry: namesz, descsz, type (u32 each), name padded to 4, desc padded to 4.
        long pos = offset;
        long end = offset + length;
        for (int n = 0; n < MAX_NOTES && end - pos >= 12; n++) {
            long nameSize = Integer.toUnsignedLong(buffer.getInt((int) pos));
            long descSize = Integer.toUnsignedLong(buffer.getInt((int) pos + 4));
            int noteType = buffer.getInt((int) pos + 8);
            long namePos = pos + 12;
            long descPos = namePos + align4(nameSize);
            long next = descPos + align4(descSize);
            if (next > end) {
                return Optional.empty();
            }
            if (noteType == NT_GNU_BUILD_ID && nameSize == 4 && descSize > 0 && descSize <= MAX_BUILD_ID_BYTES
                    && buffer.get((int) namePos) == 'G' && buffer.get((int) namePos + 1) == 'N'
                    && buffer.get((int) namePos + 2) == 'U' && buffer.get((int) namePos + 3) == 0) {
                byte[] id = new byte[(int) descSize];
                buffer.get((int) descPos, id);
                return Optional.of(HexFormat.of().formatHex(id));
            }
            pos = next;
        }
        return Optional.empty();
    }

    private ByteBuffer slice(long offset, long length) {
        return buffer.slice((int) offset, (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static boolean contains(long start, long length, long address) {
        long delta = address - start;
        return Long.compareUnsigned(delta, length) < 0;
    }

    private static long align4(long value) {
        return (value + 3) & ~3L;
    }

    @Override
    public String toString() {
        return "ElfFile[" + source + ", " + sections.size() + " sections, " + segments.size() + " segments]";
    }
}
