package io.vmiscope.linux.image;

import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.linux.symbols.ProfileException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every kernel symbol, recovered from the compressed kallsyms tables that {@code scripts/kallsyms.c}
 * emits into a (stripped) {@code vmlinux}'s {@code .rodata}. The tables carry no symbols of their own,
 * so they are located by their shape, then checked until garbage is implausible.
 *
 * <h2>The tables</h2>
 * Each table starts at an 8-byte aligned address ({@code .balign 8} on 64-bit).
 * <pre>
 *  kallsyms_token_table   256 NUL-terminated strings; token c is the single character c for every
 *                         character used in a symbol, so "0".."9" sit in a row at index 0x30..0x39
 *  kallsyms_token_index   256 x u16: offset of each token in the token table
 *  kallsyms_markers       u32 (u64 before 4.20) per 256 symbols: offset of that symbol in names
 *  kallsyms_names         per symbol: length (1 byte, or 2 bytes ULEB128 from 6.1 when &gt; 0x7f),
 *                         then that many token indices; the expansion is type letter + name
 *  kallsyms_num_syms      u32 (u64 in old kernels)
 *  kallsyms_offsets       s32 per symbol, with kallsyms_relative_base (u64) — or
 *  kallsyms_addresses     u64 per symbol without CONFIG_KALLSYMS_BASE_RELATIVE
 * </pre>
 * Supported orders ({@link TableOrder}):
 * <ul>
 *   <li>{@link TableOrder#OFFSETS_FIRST} (up to 6.1): offsets/addresses, relative_base, num_syms,
 *       names, markers, token_table, token_index;</li>
 *   <li>{@link TableOrder#OFFSETS_FIRST_WITH_SEQS} (6.2–6.3; also Debian's 6.1.0-56 build of 6.1.192):
 *       the same with {@code kallsyms_seqs_of_names} (3 bytes, or u32 in early 6.2, per symbol)
 *       between markers and token_table;</li>
 *   <li>{@link TableOrder#NAMES_FIRST} (6.4 and later): num_syms, names, markers, token_table,
 *       token_index, offsets, [relative_base], seqs_of_names.</li>
 * </ul>
 * Not supported: 32-bit kernels, and token tables with an empty token before index 0x30. Only
 * {@code OFFSETS_FIRST_WITH_SEQS} is checked against a real kernel; the other orders and
 * {@link AddressEncoding#PC_RELATIVE} are checked against tables written from this description.
 *
 * <h2>Address encodings</h2> ({@code kernel/kallsyms.c}, {@code kallsyms_sym_address}) see
 * {@link AddressEncoding}. The encoding is not known beforehand: each candidate is decoded and the
 * first that passes the checks wins.
 *
 * <h2>Checks</h2>
 * The token index must match the token table exactly; every marker must point at the start of its
 * symbol; the symbol count must agree with the markers and lie in 1..{@value #MAX_SYMBOLS}; the names
 * {@code _text, _stext, init_task, linux_banner} must exist; addresses must be sorted, with
 * {@code _text <= _stext < linux_banner} and {@code _text < init_task}; and the bytes at
 * {@code linux_banner} must read {@code "Linux version "}. A failure throws {@link ProfileException};
 * no partial table is returned.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Kallsyms {

    /** The most symbols accepted (a large distribution kernel has about 200,000). */
    public static final int MAX_SYMBOLS = 1 << 22;
    /** Symbols that every kernel has; their absence means the tables were misread. */
    public static final List<String> REQUIRED_SYMBOLS = List.of("_text", "_stext", "init_task", "linux_banner");

    private static final int MAX_TOKEN_BYTES = 512;
    private static final int MAX_NAME_BYTES = 1024;
    private static final int MAX_TOKEN_CANDIDATES = 10_000;
    private static final int MAX_NAME_TOKENS = 0x3fff;
    private static final byte[] BANNER_PREFIX = "Linux version ".getBytes(StandardCharsets.US_ASCII);

    /** Where the address table sits relative to the names. */
    public enum TableOrder {
        /** Offsets (or addresses) before {@code kallsyms_num_syms}: kernels up to 6.1. */
        OFFSETS_FIRST,
        /** As {@link #OFFSETS_FIRST}, with {@code kallsyms_seqs_of_names} before the token table: 6.2–6.3. */
        OFFSETS_FIRST_WITH_SEQS,
        /** Offsets after {@code kallsyms_token_index}: kernels from 6.4. */
        NAMES_FIRST
    }

    /** How a symbol's address is stored. */
    public enum AddressEncoding {
        /** {@code kallsyms_addresses[i]}, u64 (no {@code CONFIG_KALLSYMS_BASE_RELATIVE}). */
        ABSOLUTE,
        /** {@code relative_base + (u32) offsets[i]}. */
        BASE_RELATIVE,
        /**
         * {@code CONFIG_KALLSYMS_ABSOLUTE_PERCPU}: {@code offsets[i] >= 0} is the absolute address (a
         * per-CPU symbol), otherwise {@code relative_base - 1 - offsets[i]}.
         */
        BASE_RELATIVE_ABSOLUTE_PERCPU,
        /** {@code &offsets[i] + offsets[i]} (no relative base; kernels from 6.15). */
        PC_RELATIVE
    }

    private final String source;
    private final List<KernelSymbol> symbols;
    private final TableOrder order;
    private final AddressEncoding encoding;
    private final long tokenTableAddress;
    private final long namesAddress;

    private Kallsyms(String source, List<KernelSymbol> symbols, TableOrder order, AddressEncoding encoding,
                     long tokenTableAddress, long namesAddress) {
        this.source = source;
        this.symbols = symbols;
        this.order = order;
        this.encoding = encoding;
        this.tokenTableAddress = tokenTableAddress;
        this.namesAddress = namesAddress;
    }

    /**
     * Finds and decodes the tables in the ELF's {@code .rodata}.
     *
     * @throws ProfileException when there is no {@code .rodata}, or no table set passes the checks
     */
    public static Kallsyms locate(ElfFile elf) {
        ElfFile.Section rodata = elf.section(".rodata").filter(ElfFile.Section::hasFileData)
                .orElseThrow(() -> new ProfileException(elf.source() + ": no .rodata section to search for kallsyms"));
        ByteBuffer data = elf.sectionData(".rodata").orElseThrow();
        return locate(data, rodata.address(), elf.source());
    }

    /**
     * Finds and decodes the tables in a region of kernel memory.
     *
     * @param region        the bytes, index 0 to limit
     * @param regionAddress link-time virtual address of index 0
     * @param source        name for messages
     */
    static Kallsyms locate(ByteBuffer region, long regionAddress, String source) {
        byte[] bytes = new byte[region.limit()];
        region.get(0, bytes);
        return new Search(bytes, regionAddress, source).run();
    }

    /** All symbols in table order, which is address order; duplicates and aliases kept. */
    public List<KernelSymbol> symbols() {
        return symbols;
    }

    /** Which table order was found. */
    public TableOrder order() {
        return order;
    }

    /** Which address encoding decoded to plausible addresses. */
    public AddressEncoding addressEncoding() {
        return encoding;
    }

    /** Link-time address of {@code kallsyms_token_table}. */
    public long tokenTableAddress() {
        return tokenTableAddress;
    }

    /** Link-time address of {@code kallsyms_names}. */
    public long namesAddress() {
        return namesAddress;
    }

    /** One line for logs, e.g. {@code "147311 symbols, OFFSETS_FIRST, BASE_RELATIVE_ABSOLUTE_PERCPU, …"}. */
    public String describe() {
        return symbols.size() + " kallsyms symbols (" + order + ", " + encoding + ", token table at 0x"
                + Long.toHexString(tokenTableAddress) + ", names at 0x" + Long.toHexString(namesAddress) + ")";
    }

    @Override
    public String toString() {
        return "Kallsyms[" + source + ": " + describe() + "]";
    }

    /** One search over one region; not thread-safe, used once. */
    private static final class Search {
        private final byte[] b;
        private final long base;
        private final String source;

        Search(byte[] bytes, long base, String source) {
            this.b = bytes;
            this.base = base;
            this.source = source;
        }

        Kallsyms run() {
            Tokens tokens = findTokenTable();
            List<String> problems = new ArrayList<>();
            Kallsyms found = tryMarkers(directMarkers(tokens.tableStart), tokens, problems);
            if (found == null) {
                found = tryMarkers(markersBeforeSeqs(tokens.tableStart), tokens, problems);
            }
            if (found != null) {
                return found;
            }
            if (problems.isEmpty()) {
                throw fail("kallsyms_markers/kallsyms_names not found before the token table at 0x"
                        + hex(base + tokens.tableStart));
            }
            throw fail(String.join("; ", problems));
        }

        private Kallsyms tryMarkers(List<Markers> candidates, Tokens tokens, List<String> problems) {
            for (Markers markers : candidates) {
                Names names = findNames(markers);
                if (names == null) {
                    continue;
                }
                Decoded decoded = decodeNames(names, tokens);
                String missing = missingRequired(decoded);
                if (missing != null) {
                    problems.add(names.count + " names at 0x" + hex(base + names.start) + " lack " + missing);
                    continue;
                }
                for (AddressTable table : addressCandidates(names, tokens)) {
                    long[] addresses = table.decode(names.count);
                    if (addresses != null && plausible(addresses, decoded)) {
                        return new Kallsyms(source, symbols(decoded, addresses), table.order, table.encoding,
                                base + tokens.tableStart, base + names.start);
                    }
                }
                problems.add(names.count + " names at 0x" + hex(base + names.start)
                        + " but no address table decodes to sorted addresses with linux_banner at \"Linux version\"");
            }
            return null;
        }

        // ---- token table and index ------------------------------------------------------------

        private Tokens findTokenTable() {
            byte[] digits = new byte[20];
            for (int i = 0; i < 10; i++) {
                digits[2 * i] = (byte) ('0' + i);
            }
            int candidates = 0;
            for (int p = indexOf(digits, 0); p >= 0 && candidates < MAX_TOKEN_CANDIDATES; p = indexOf(digits, p + 1)) {
                candidates++;
                int start = walkBackTokens(p, '0');
                if (start < 0) {
                    continue;
                }
                Tokens tokens = readTokens(start);
                if (tokens != null) {
                    return tokens;
                }
            }
            throw fail("no kallsyms_token_table in " + b.length + " bytes at 0x" + hex(base) + " ("
                    + candidates + " candidate(s) for the \"0\"..\"9\" tokens, none with a matching token index)");
        }

        /** Start of the token table whose token number {@code index} starts at {@code at}, or -1. */
        private int walkBackTokens(int at, int index) {
            int pos = at;
            for (int k = 0; k < index; k++) {
                if (pos < 2 || b[pos - 1] != 0 || b[pos - 2] == 0) {
                    return -1; // the previous token must end right here and be non-empty
                }
                int q = pos - 2;
                int limit = Math.max(0, pos - 1 - MAX_TOKEN_BYTES);
                while (q > limit && b[q - 1] != 0) {
                    q--;
                }
                if (q == limit && limit > 0 && b[q - 1] != 0) {
                    return -1;
                }
                pos = q;
            }
            return pos;
        }

        private Tokens readTokens(int start) {
            int[] offsets = new int[256];
            byte[][] tokens = new byte[256][];
            int pos = start;
            for (int i = 0; i < 256; i++) {
                offsets[i] = pos - start;
                int end = pos;
                int limit = Math.min(b.length, pos + MAX_TOKEN_BYTES);
                while (end < limit && b[end] != 0) {
                    end++;
                }
                if (end >= limit) {
                    return null;
                }
                tokens[i] = Arrays.copyOfRange(b, pos, end);
                pos = end + 1;
            }
            int index = alignUp(pos, 8);
            if (index + 512 > b.length) {
                return null;
            }
            for (int i = 0; i < 256; i++) {
                if (u16(index + 2 * i) != offsets[i]) {
                    return null;
                }
            }
            return new Tokens(start, index, tokens);
        }

        // ---- markers and names ------------------------------------------------------------------

        /** Markers ending right before the token table (after at most 7 bytes of zero padding). */
        private List<Markers> directMarkers(int tableStart) {
            List<Markers> result = new ArrayList<>();
            for (int width : new int[] {4, 8}) {
                for (int pad = 0; pad < 8; pad += width) {
                    Markers m = readMarkersBackwards(tableStart - pad, width);
                    if (m != null && (pad == 0 || isZero(tableStart - pad, tableStart))) {
                        result.add(m);
                    }
                }
            }
            return result;
        }

        /** Reads markers ending at {@code end}, backwards: strictly decreasing down to marker 0 = 0. */
        private Markers readMarkersBackwards(int end, int width) {
            if (end < width || !isAligned(end, width)) {
                return null;
            }
            int maxMarkers = (MAX_SYMBOLS + 255) / 256;
            List<Long> values = new ArrayList<>();
            long previous = Long.MAX_VALUE;
            for (int at = end - width; at >= 0 && values.size() < maxMarkers; at -= width) {
                long value = width == 4 ? u32(at) : b64(at);
                // a group of 256 names takes at least 512 bytes (length byte + one token each)
                if (value < 0 || (previous != Long.MAX_VALUE && previous - value < 512) || value >= previous) {
                    return null;
                }
                values.add(value);
                previous = value;
                if (value == 0) {
                    if (!isAligned(at, 8)) {
                        return null;
                    }
                    long[] markers = new long[values.size()];
                    for (int i = 0; i < markers.length; i++) {
                        markers[i] = values.get(markers.length - 1 - i);
                    }
                    return new Markers(at, markers, 0, 0);
                }
            }
            return null;
        }

        /**
         * Markers followed by {@code kallsyms_seqs_of_names} (one 3-byte big-endian or u32 entry per
         * symbol: a permutation of the symbol numbers) and then the token table. The table sizes depend
         * on the unknown symbol count, so every count is tried; the marker and permutation checks reject
         * almost all.
         */
        private List<Markers> markersBeforeSeqs(int tableStart) {
            List<Markers> result = new ArrayList<>();
            int misalignment = (int) (base & 7);
            for (int width = 3; width <= 4; width++) {
                for (int count = REQUIRED_SYMBOLS.size(); count <= MAX_SYMBOLS; count++) {
                    int seqs = ((tableStart - width * count + misalignment) & ~7) - misalignment;
                    int groups = (count + 255) >>> 8;
                    // markers start 8-aligned and end 4 bytes short of alignment when their number is odd
                    int pad = (groups & 1) * 4;
                    int start = seqs - pad - 4 * groups;
                    if (start < 0) {
                        break; // larger counts only move further down
                    }
                    if ((b[start] | b[start + 1] | b[start + 2] | b[start + 3]) != 0
                            || pad != 0 && (b[seqs - 4] | b[seqs - 3] | b[seqs - 2] | b[seqs - 1]) != 0) {
                        continue;
                    }
                    long[] markers = markersForward(start, groups);
                    if (markers != null && isPermutation(seqs, count, width)) {
                        result.add(new Markers(start, markers, count, width));
                    }
                }
            }
            return result;
        }

        /** The markers at {@code start}, or null unless each exceeds the one before by 512 or more. */
        private long[] markersForward(int start, int groups) {
            for (int i = 1; i < groups; i++) {
                if (u32(start + 4 * i) - u32(start + 4 * (i - 1)) < 512) {
                    return null;
                }
            }
            long[] markers = new long[groups];
            for (int i = 1; i < groups; i++) {
                markers[i] = u32(start + 4 * i);
            }
            return markers;
        }

        private boolean isPermutation(int start, int count, int width) {
            BitSet seen = new BitSet(count);
            for (int i = 0; i < count; i++) {
                int at = start + width * i;
                long seq = width == 4 ? u32(at)
                        : (b[at] & 0xffL) << 16 | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL);
                if (seq >= count || seen.get((int) seq)) {
                    return false;
                }
                seen.set((int) seq);
            }
            return true;
        }

        private Names findNames(Markers markers) {
            int groups = markers.values.length;
            long last = markers.values[groups - 1];
            long highest = markers.start - last - 2; // the last group holds at least one 2-byte record
            long lowest = Math.max(8, markers.start - last - 256L * (2 + MAX_NAME_TOKENS));
            if (highest < 8) {
                return null;
            }
            long minCount = markers.count > 0 ? markers.count : 256L * (groups - 1) + 1;
            long maxCount = markers.count > 0 ? markers.count : Math.min(256L * groups, MAX_SYMBOLS);
            for (int s = alignDown((int) highest, 8); s >= lowest; s -= 8) {
                long count = u32(s - 8);
                if (count >= minCount && count <= maxCount && u32(s - 4) == 0
                        && namesConsistent(s, (int) count, markers)) {
                    return new Names(s, (int) count, markers);
                }
            }
            return null;
        }

        /** Walks the name records: each marker hits a record start, the last ends at the markers. */
        private boolean namesConsistent(int start, int count, Markers markers) {
            int pos = start;
            for (int i = 0; i < count; i++) {
                if ((i & 0xff) == 0 && pos - start != markers.values[i >> 8]) {
                    return false;
                }
                if (pos >= markers.start) {
                    return false;
                }
                int length = b[pos] & 0xff;
                int header = 1;
                if ((length & 0x80) != 0) {
                    if (pos + 1 >= markers.start) {
                        return false;
                    }
                    length = (length & 0x7f) | ((b[pos + 1] & 0xff) << 7);
                    header = 2;
                }
                if (length == 0) {
                    return false;
                }
                pos += header + length;
            }
            return pos <= markers.start && markers.start - pos < 8 && isZero(pos, markers.start);
        }

        private Decoded decodeNames(Names names, Tokens tokens) {
            String[] decodedNames = new String[names.count];
            char[] types = new char[names.count];
            byte[] scratch = new byte[MAX_NAME_BYTES];
            int pos = names.start;
            for (int i = 0; i < names.count; i++) {
                int length = b[pos] & 0xff;
                pos++;
                if ((length & 0x80) != 0) {
                    length = (length & 0x7f) | ((b[pos] & 0xff) << 7);
                    pos++;
                }
                int n = 0;
                for (int k = 0; k < length; k++) {
                    byte[] token = tokens.tokens[b[pos + k] & 0xff];
                    if (n + token.length > MAX_NAME_BYTES) {
                        throw fail("kallsyms name " + i + " expands past " + MAX_NAME_BYTES + " bytes");
                    }
                    System.arraycopy(token, 0, scratch, n, token.length);
                    n += token.length;
                }
                pos += length;
                if (n < 2) {
                    throw fail("kallsyms name " + i + " expands to " + n + " byte(s), no room for type and name");
                }
                types[i] = (char) (scratch[0] & 0xff);
                decodedNames[i] = new String(scratch, 1, n - 1, StandardCharsets.ISO_8859_1);
            }
            Map<String, Integer> required = new HashMap<>();
            for (int i = 0; i < decodedNames.length; i++) {
                if (REQUIRED_SYMBOLS.contains(decodedNames[i])) {
                    required.putIfAbsent(decodedNames[i], i);
                }
            }
            return new Decoded(decodedNames, types, required);
        }

        private static String missingRequired(Decoded decoded) {
            List<String> missing = REQUIRED_SYMBOLS.stream().filter(n -> !decoded.required.containsKey(n)).toList();
            return missing.isEmpty() ? null : String.join(", ", missing);
        }

        // ---- addresses --------------------------------------------------------------------------

        private List<AddressTable> addressCandidates(Names names, Tokens tokens) {
            int count = names.count;
            List<AddressTable> tables = new ArrayList<>();
            // up to 6.3: [offsets][relative_base][num_syms][names]
            TableOrder first = names.markers.seqsWidth > 0 ? TableOrder.OFFSETS_FIRST_WITH_SEQS : TableOrder.OFFSETS_FIRST;
            int relativeBase = names.start - 16;
            int offsets = alignDown(relativeBase - 4 * count, 8);
            tables.add(new AddressTable(first, AddressEncoding.BASE_RELATIVE_ABSOLUTE_PERCPU, offsets, relativeBase));
            tables.add(new AddressTable(first, AddressEncoding.BASE_RELATIVE, offsets, relativeBase));
            tables.add(new AddressTable(first, AddressEncoding.ABSOLUTE, names.start - 8 - 8 * count, -1));
            if (names.markers.seqsWidth > 0) {
                return tables;
            }
            // from 6.4: [token_index][offsets][relative_base (until 6.14)][seqs_of_names]
            int after = alignUp(tokens.indexStart + 512, 8);
            int baseAfter = alignUp(after + 4 * count, 8);
            tables.add(new AddressTable(TableOrder.NAMES_FIRST, AddressEncoding.BASE_RELATIVE_ABSOLUTE_PERCPU,
                    after, baseAfter));
            tables.add(new AddressTable(TableOrder.NAMES_FIRST, AddressEncoding.BASE_RELATIVE, after, baseAfter));
            tables.add(new AddressTable(TableOrder.NAMES_FIRST, AddressEncoding.PC_RELATIVE, after, -1));
            return tables;
        }

        private boolean plausible(long[] addresses, Decoded decoded) {
            for (int i = 1; i < addresses.length; i++) {
                if (Long.compareUnsigned(addresses[i - 1], addresses[i]) > 0) {
                    return false;
                }
            }
            long text = addresses[decoded.required.get("_text")];
            long stext = addresses[decoded.required.get("_stext")];
            long banner = addresses[decoded.required.get("linux_banner")];
            long initTask = addresses[decoded.required.get("init_task")];
            if (text == 0 || Long.compareUnsigned(text, stext) > 0 || Long.compareUnsigned(stext, banner) >= 0
                    || Long.compareUnsigned(text, initTask) >= 0) {
                return false;
            }
            long at = banner - base;
            if (at < 0 || at > b.length - BANNER_PREFIX.length) {
                return false;
            }
            for (int i = 0; i < BANNER_PREFIX.length; i++) {
                if (b[(int) at + i] != BANNER_PREFIX[i]) {
                    return false;
                }
            }
            return true;
        }

        private static List<KernelSymbol> symbols(Decoded decoded, long[] addresses) {
            List<KernelSymbol> list = new ArrayList<>(addresses.length);
            for (int i = 0; i < addresses.length; i++) {
                list.add(new KernelSymbol(decoded.names[i], addresses[i], decoded.types[i]));
            }
            return List.copyOf(list);
        }

        /** One guess at where the address table is and how it is encoded. */
        private final class AddressTable {
            final TableOrder order;
            final AddressEncoding encoding;
            final int start;
            final int relativeBase;

            AddressTable(TableOrder order, AddressEncoding encoding, int start, int relativeBase) {
                this.order = order;
                this.encoding = encoding;
                this.start = start;
                this.relativeBase = relativeBase;
            }

            /** The addresses, or null when the table would lie outside the region. */
            long[] decode(int count) {
                int entry = encoding == AddressEncoding.ABSOLUTE ? 8 : 4;
                if (start < 0 || (long) start + (long) entry * count > b.length) {
                    return null;
                }
                boolean needsBase = encoding == AddressEncoding.BASE_RELATIVE
                        || encoding == AddressEncoding.BASE_RELATIVE_ABSOLUTE_PERCPU;
                if (needsBase && (relativeBase < 0 || relativeBase + 8 > b.length)) {
                    return null;
                }
                long relative = needsBase ? b64(relativeBase) : 0;
                long[] addresses = new long[count];
                boolean anyRelative = false;
                for (int i = 0; i < count; i++) {
                    int at = start + entry * i;
                    switch (encoding) {
                        case ABSOLUTE -> addresses[i] = b64(at);
                        case BASE_RELATIVE -> addresses[i] = relative + u32(at);
                        case BASE_RELATIVE_ABSOLUTE_PERCPU -> {
                            int offset = s32(at);
                            anyRelative |= offset < 0;
                            addresses[i] = offset >= 0 ? offset : relative - 1 - offset;
                        }
                        case PC_RELATIVE -> addresses[i] = base + at + s32(at);
                    }
                }
                // without a single relative entry, "absolute per-CPU" would just be raw offsets
                return encoding == AddressEncoding.BASE_RELATIVE_ABSOLUTE_PERCPU && !anyRelative ? null : addresses;
            }
        }

        // ---- byte helpers -----------------------------------------------------------------------

        private int indexOf(byte[] pattern, int from) {
            int last = b.length - pattern.length;
            outer:
            for (int i = Math.max(0, from); i <= last; i++) {
                if (b[i] != pattern[0]) {
                    continue;
                }
                for (int k = 1; k < pattern.length; k++) {
                    if (b[i + k] != pattern[k]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private boolean isZero(int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] != 0) {
                    return false;
                }
            }
            return true;
        }

        /** Whether region index {@code at} is at an address aligned to {@code alignment}. */
        private boolean isAligned(int at, int alignment) {
            return ((base + at) & (alignment - 1)) == 0;
        }

        private int alignUp(int at, int alignment) {
            long address = base + at;
            return (int) (((address + alignment - 1) & -alignment) - base);
        }

        private int alignDown(int at, int alignment) {
            long address = base + at;
            return (int) ((address & -alignment) - base);
        }

        private int u16(int at) {
            return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
        }

        private int s32(int at) {
            return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
        }

        private long u32(int at) {
            return Integer.toUnsignedLong(s32(at));
        }

        private long b64(int at) {
            return u32(at) | u32(at + 4) << 32;
        }

        private ProfileException fail(String problem) {
            return new ProfileException(source + ": " + problem);
        }
    }

    private static String hex(long value) {
        return Long.toHexString(value);
    }

    private record Tokens(int tableStart, int indexStart, byte[][] tokens) {
    }

    /**
     * @param count     the symbol count implied by the kallsyms_seqs_of_names size, 0 when unknown
     * @param seqsWidth bytes per kallsyms_seqs_of_names entry, 0 when that table is not in between
     */
    private record Markers(int start, long[] values, int count, int seqsWidth) {
    }

    private record Names(int start, int count, Markers markers) {
    }

    private record Decoded(String[] names, char[] types, Map<String, Integer> required) {
    }
}
