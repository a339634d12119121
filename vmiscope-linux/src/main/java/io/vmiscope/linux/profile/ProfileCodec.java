package io.vmiscope.linux.profile;

import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.symbols.StructMember;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The cache's on-disk form of a {@link KernelProfile}: gzip'd, big-endian, with a string table so the
 * many repeated member and type names are stored once.
 *
 * <pre>
 *   magic "VMSPROF\0"  int version
 *   str source  str buildId  str banner
 *   int n × (str name, long address, char type)                       symbols
 *   int n × (str name, long size, int m × (str name, long offsetBits,  structs
 *                                          long sizeBits, str type))
 *   int end-marker, then end of stream (so gzip's CRC is checked)
 *   str = int index of an earlier string, or -1 followed by int length and UTF-8 bytes
 * </pre>
 * Every count and length read is bounded; anything unexpected is an {@link IOException}.
 */
final class ProfileCodec {

    private static final byte[] MAGIC = "VMSPROF\0".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int END_MARKER = 0x454E4421;
    private static final int NEW_STRING = -1;
    private static final int MAX_STRING_BYTES = 1 << 20;
    private static final int MAX_SYMBOLS = 4_000_000;
    private static final int MAX_STRUCTS = 1_000_000;
    private static final int MAX_MEMBERS = 1 << 16;

    private ProfileCodec() {
    }

    static void write(KernelProfile profile, OutputStream target) throws IOException {
        GZIPOutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(target, 1 << 16), 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(gzip, 1 << 16));
        Map<String, Integer> table = new HashMap<>();
        out.write(MAGIC);
        out.writeInt(VERSION);
        writeString(out, table, profile.source());
        writeString(out, table, profile.buildId());
        writeString(out, table, profile.banner());
        out.writeInt(profile.symbols().size());
        for (KernelSymbol symbol : profile.symbols().values()) {
            writeString(out, table, symbol.name());
            out.writeLong(symbol.address());
            out.writeChar(symbol.type());
        }
        out.writeInt(profile.structs().size());
        for (StructLayout layout : profile.structs().values()) {
            writeString(out, table, layout.name());
            out.writeLong(layout.sizeBytes());
            out.writeInt(layout.members().size());
            for (StructMember member : layout.members()) {
                writeString(out, table, member.name());
                out.writeLong(member.offsetBits());
                out.writeLong(member.sizeBits());
                writeString(out, table, member.typeName());
            }
        }
        out.writeInt(END_MARKER);
        out.flush();
        gzip.finish();
        gzip.flush();
    }

    static KernelProfile read(InputStream source) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(source, 1 << 16),
                1 << 16));
        if (!Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) {
            throw new IOException("not a vmiscope profile");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("profile format version " + version + ", expected " + VERSION);
        }
        List<String> table = new ArrayList<>();
        String profileSource = readString(in, table);
        String buildId = readString(in, table);
        String banner = readString(in, table);
        int symbolCount = readCount(in, MAX_SYMBOLS, "symbols");
        Map<String, KernelSymbol> symbols = new HashMap<>(symbolCount * 2);
        for (int i = 0; i < symbolCount; i++) {
            String name = readString(in, table);
            symbols.put(name, new KernelSymbol(name, in.readLong(), in.readChar()));
        }
        int structCount = readCount(in, MAX_STRUCTS, "structs");
        Map<String, StructLayout> structs = new HashMap<>(structCount * 2);
        for (int i = 0; i < structCount; i++) {
            String name = readString(in, table);
            long size = in.readLong();
            int memberCount = readCount(in, MAX_MEMBERS, "members");
            List<StructMember> members = new ArrayList<>(memberCount);
            for (int m = 0; m < memberCount; m++) {
                members.add(new StructMember(readString(in, table), in.readLong(), in.readLong(),
                        readString(in, table)));
            }
            structs.put(name, new StructLayout(name, size, members));
        }
        if (in.readInt() != END_MARKER || in.read() != -1) {
            throw new IOException("profile has no end marker or trailing data");
        }
        return new KernelProfile(profileSource, buildId, banner, symbols, structs);
    }

    private static void writeString(DataOutputStream out, Map<String, Integer> table, String s)
            throws IOException {
        Integer index = table.get(s);
        if (index != null) {
            out.writeInt(index);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING_BYTES) {
            throw new IOException("string of " + bytes.length + " bytes is too long for a profile");
        }
        out.writeInt(NEW_STRING);
        out.writeInt(bytes.length);
        out.write(bytes);
        table.put(s, table.size());
    }

    private static String readString(DataInputStream in, List<String> table) throws IOException {
        int index = in.readInt();
        if (index == NEW_STRING) {
            int length = readCount(in, MAX_STRING_BYTES, "string bytes");
            byte[] bytes = in.readNBytes(length);
            if (bytes.length != length) {
                throw new IOException("profile truncated inside a string");
            }
            String s = new String(bytes, StandardCharsets.UTF_8);
            table.add(s);
            return s;
        }
        if (index < 0 || index >= table.size()) {
            throw new IOException("string index " + index + " out of range");
        }
        return table.get(index);
    }

    private static int readCount(DataInputStream in, int max, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) {
            throw new IOException("count of " + what + " " + n + " outside 0.." + max);
        }
        return n;
    }
}
