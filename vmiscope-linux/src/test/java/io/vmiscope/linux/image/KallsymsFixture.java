package io.vmiscope.linux.image;

import io.vmiscope.linux.symbols.KernelSymbol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Emits kallsyms tables the way {@code scripts/kallsyms.c} lays them out, into a {@code .rodata}-like
 * region at {@link #BASE}, with the {@code linux_banner} string at {@link #BANNER_ADDRESS}. Written
 * from the table description, for tests of the layouts the real test kernel does not cover.
 */
final class KallsymsFixture {

    static final long BASE = 0xffffffff82000000L;
    static final long BANNER_ADDRESS = BASE + 32;
    static final String BANNER = "Linux version 9.9.9-fixture (test@example) #1 SMP\n";

    /** Which order and address encoding to emit. */
    enum Layout {
        OFFSETS_FIRST, OFFSETS_FIRST_WITH_SEQS, NAMES_FIRST, NAMES_FIRST_PC_RELATIVE
    }

    private static final String[] MULTI_CHAR_TOKENS = {"func_", "_text", "init", "sym", "ta", "er"};

    private KallsymsFixture() {
    }

    /**
     * Address-sorted symbols: per-CPU 'A' symbols first when asked, {@code _text}/{@code _stext},
     * {@code count} functions, one name longer than 127 tokens, {@code linux_banner} and {@code init_task}.
     */
    static List<KernelSymbol> sampleSymbols(int count, boolean percpu) {
        List<KernelSymbol> symbols = new ArrayList<>();
        if (percpu) {
            symbols.add(new KernelSymbol("fixed_percpu_data", 0, 'A'));
            symbols.add(new KernelSymbol("cpu_number", 0x2000, 'A'));
        }
        long text = 0xffffffff81000000L;
        symbols.add(new KernelSymbol("_text", text, 'T'));
        symbols.add(new KernelSymbol("_stext", text, 'T'));
        for (int i = 0; i < count; i++) {
            symbols.add(new KernelSymbol(String.format("func_%05d", i), text + 0x40 + 16L * i, i % 3 == 0 ? 't' : 'T'));
        }
        symbols.add(new KernelSymbol("long_" + "abcdefghij_klmnopqrstuvwxyz".repeat(6), text + 0x40 + 16L * count, 'T'));
        symbols.add(new KernelSymbol("linux_banner", BANNER_ADDRESS, 'D'));
        symbols.add(new KernelSymbol("init_task", 0xffffffff82a1aa40L, 'D'));
        return List.copyOf(symbols);
    }

    /** The region holding the banner and the tables, followed by 64 zero bytes. */
    static byte[] region(Layout layout, List<KernelSymbol> symbols) {
        Writer w = new Writer();
        w.pad(32);
        w.bytes(BANNER.getBytes(StandardCharsets.US_ASCII));
        w.u8(0);
        int n = symbols.size();
        byte[][] tokens = tokens();
        List<byte[]> names = symbols.stream().map(s -> encode(s.type() + s.name(), tokens)).toList();
        boolean percpu = symbols.stream().anyMatch(s -> s.type() == 'A');
        long relativeBase = percpu
                ? symbols.stream().filter(s -> s.type() != 'A').findFirst().orElseThrow().address()
                : symbols.get(0).address();

        if (layout == Layout.OFFSETS_FIRST || layout == Layout.OFFSETS_FIRST_WITH_SEQS) {
            offsets(w, symbols, relativeBase, percpu, false);
            w.align();
            w.u64(relativeBase);
            w.align();
        }
        w.align();
        w.u32(n);
        w.align();
        int namesStart = w.size();
        List<Integer> markers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 256 == 0) {
                markers.add(w.size() - namesStart);
            }
            byte[] name = names.get(i);
            if (name.length > 0x7f) {
                w.u8(0x80 | (name.length & 0x7f));
                w.u8(name.length >> 7);
            } else {
                w.u8(name.length);
            }
            w.bytes(name);
        }
        w.align();
        markers.forEach(w::u32);
        w.align();
        if (layout == Layout.OFFSETS_FIRST_WITH_SEQS) {
            seqs(w, symbols);
            w.align();
        }
        int[] index = new int[256];
        int tableStart = w.size();
        for (int i = 0; i < 256; i++) {
            index[i] = w.size() - tableStart;
            w.bytes(tokens[i]);
            w.u8(0);
        }
        w.align();
        for (int i = 0; i < 256; i++) {
            w.u16(index[i]);
        }
        if (layout == Layout.NAMES_FIRST || layout == Layout.NAMES_FIRST_PC_RELATIVE) {
            w.align();
            boolean pcRelative = layout == Layout.NAMES_FIRST_PC_RELATIVE;
            offsets(w, symbols, relativeBase, percpu, pcRelative);
            w.align();
            if (!pcRelative) {
                w.u64(relativeBase);
                w.align();
            }
            seqs(w, symbols);
        }
        w.pad(64);
        return w.toArray();
    }

    private static void offsets(Writer w, List<KernelSymbol> symbols, long relativeBase, boolean percpu,
                                boolean pcRelative) {
        w.align();
        for (KernelSymbol s : symbols) {
            long value;
            if (pcRelative) {
                value = s.address() - (BASE + w.size());
            } else if (percpu) {
                value = s.type() == 'A' ? s.address() : relativeBase - 1 - s.address();
            } else {
                value = s.address() - relativeBase;
            }
            w.u32((int) value);
        }
    }

    /** kallsyms_seqs_of_names: symbol numbers in name order, 3 bytes big-endian each. */
    private static void seqs(Writer w, List<KernelSymbol> symbols) {
        IntStream.range(0, symbols.size()).boxed()
                .sorted(Comparator.comparing((Integer i) -> symbols.get(i).name()).thenComparing(i -> i))
                .forEach(i -> {
                    w.u8(i >> 16);
                    w.u8(i >> 8);
                    w.u8(i);
                });
    }

    /** Token i is the character i for name characters, otherwise a multi-character string. */
    private static byte[][] tokens() {
        byte[][] tokens = new byte[256][];
        int next = 0;
        for (int i = 0; i < 256; i++) {
            boolean nameChar = Character.isLetterOrDigit(i) && i < 0x80 || i == '_' || i == '.';
            if (nameChar) {
                tokens[i] = new byte[] {(byte) i};
            } else if (next < MULTI_CHAR_TOKENS.length) {
                tokens[i] = MULTI_CHAR_TOKENS[next++].getBytes(StandardCharsets.US_ASCII);
            } else {
                tokens[i] = new byte[] {'~', (byte) ('a' + i % 26), (byte) ('a' + i / 26)};
            }
        }
        return tokens;
    }

    /** Greedy: the longest multi-character token that matches, else the character's own token. */
    private static byte[] encode(String text, byte[][] tokens) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < bytes.length) {
            int best = bytes[at] & 0xff;
            int bestLength = 1;
            for (int t = 0; t < 256; t++) {
                byte[] token = tokens[t];
                if (token.length > bestLength && token[0] != '~' && matches(bytes, at, token)) {
                    best = t;
                    bestLength = token.length;
                }
            }
            out.write(best);
            at += bestLength;
        }
        return out.toByteArray();
    }

    private static boolean matches(byte[] bytes, int at, byte[] token) {
        if (at + token.length > bytes.length) {
            return false;
        }
        for (int i = 0; i < token.length; i++) {
            if (bytes[at + i] != token[i]) {
                return false;
            }
        }
        return true;
    }

    /** Little-endian writer with 8-byte alignment relative to {@link #BASE}. */
    private static final class Writer {
        private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        int size() {
            return buf.position();
        }

        void ensure(int more) {
            if (buf.remaining() < more) {
                ByteBuffer bigger = ByteBuffer.allocate(buf.capacity() * 2 + more).order(ByteOrder.LITTLE_ENDIAN);
                bigger.put(buf.flip());
                buf = bigger;
            }
        }

        void u8(int v) {
            ensure(1);
            buf.put((byte) v);
        }

        void u16(int v) {
            ensure(2);
            buf.putShort((short) v);
        }

        void u32(int v) {
            ensure(4);
            buf.putInt(v);
        }

        void u64(long v) {
            ensure(8);
            buf.putLong(v);
        }

        void bytes(byte[] b) {
            ensure(b.length);
            buf.put(b);
        }

        void pad(int n) {
            bytes(new byte[n]);
        }

        void align() {
            while (size() % 8 != 0) {
                u8(0);
            }
        }

        byte[] toArray() {
            byte[] out = new byte[size()];
            buf.get(0, out);
            return out;
        }
    }
}
