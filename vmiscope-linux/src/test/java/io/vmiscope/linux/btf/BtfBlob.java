package io.vmiscope.linux.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds small BTF blobs byte by byte for tests. Type ids are handed out in order from 1, so a test can
 * refer to a type before adding it ({@link #nextId()}). Raw setters let tests write corrupt records.
 */
final class BtfBlob {

    /** One struct/union member; {@code bitfieldBits} is only encoded when the struct has kind_flag set. */
    record Member(String name, int type, int bitOffset, int bitfieldBits) {
        static Member of(String name, int type, int bitOffset) {
            return new Member(name, type, bitOffset, 0);
        }
    }

    private final ByteOrder order;
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new LinkedHashMap<>();
    private final List<int[]> types = new ArrayList<>();

    BtfBlob() {
        this(ByteOrder.LITTLE_ENDIAN);
    }

    BtfBlob(ByteOrder order) {
        this.order = order;
        strings.write(0);
        stringOffsets.put("", 0);
    }

    int str(String s) {
        return stringOffsets.computeIfAbsent(s, k -> {
            int offset = strings.size();
            strings.writeBytes(k.getBytes(StandardCharsets.UTF_8));
            strings.write(0);
            return offset;
        });
    }

    int nextId() {
        return types.size() + 1;
    }

    /** Appends a raw record: the three btf_type words, then kind-specific words. */
    int raw(int nameOff, int info, int sizeOrType, int... extra) {
        int[] words = new int[3 + extra.length];
        words[0] = nameOff;
        words[1] = info;
        words[2] = sizeOrType;
        System.arraycopy(extra, 0, words, 3, extra.length);
        types.add(words);
        return types.size();
    }

    static int info(BtfKind kind, int vlen, boolean kindFlag) {
        return (kindFlag ? 1 << 31 : 0) | kind.code() << 24 | vlen;
    }

    int integer(String name, int sizeBytes, boolean signed) {
        return integer(name, sizeBytes, signed, 0, sizeBytes * 8);
    }

    int integer(String name, int sizeBytes, boolean signed, int bitOffset, int bits) {
        int encoding = (signed ? 1 : 0) << 24 | bitOffset << 16 | bits;
        return raw(str(name), info(BtfKind.INT, 0, false), sizeBytes, encoding);
    }

    int pointer(int target) {
        return raw(0, info(BtfKind.PTR, 0, false), target);
    }

    int array(int element, int index, int count) {
        return raw(0, info(BtfKind.ARRAY, 0, false), 0, element, index, count);
    }

    int typedef(String name, int target) {
        return raw(str(name), info(BtfKind.TYPEDEF, 0, false), target);
    }

    int qualifier(BtfKind kind, int target) {
        return raw(0, info(kind, 0, false), target);
    }

    int forward(String name, boolean union) {
        return raw(str(name), info(BtfKind.FWD, 0, union), 0);
    }

    int struct(String name, int sizeBytes, boolean kindFlag, Member... members) {
        return composite(BtfKind.STRUCT, name, sizeBytes, kindFlag, members);
    }

    int union(String name, int sizeBytes, Member... members) {
        return composite(BtfKind.UNION, name, sizeBytes, false, members);
    }

    private int composite(BtfKind kind, String name, int sizeBytes, boolean kindFlag, Member... members) {
        int[] extra = new int[members.length * 3];
        for (int i = 0; i < members.length; i++) {
            Member m = members[i];
            extra[3 * i] = str(m.name());
            extra[3 * i + 1] = m.type();
            extra[3 * i + 2] = kindFlag ? m.bitfieldBits() << 24 | m.bitOffset() : m.bitOffset();
        }
        return raw(str(name), info(kind, members.length, kindFlag), sizeBytes, extra);
    }

    int enumeration(String name, int sizeBytes, boolean signed, Map<String, Integer> values) {
        int[] extra = new int[values.size() * 2];
        int i = 0;
        for (Map.Entry<String, Integer> e : values.entrySet()) {
            extra[i++] = str(e.getKey());
            extra[i++] = e.getValue();
        }
        return raw(str(name), info(BtfKind.ENUM, values.size(), signed), sizeBytes, extra);
    }

    int enumeration64(String name, Map<String, Long> values) {
        int[] extra = new int[values.size() * 3];
        int i = 0;
        for (Map.Entry<String, Long> e : values.entrySet()) {
            extra[i++] = str(e.getKey());
            extra[i++] = (int) (long) e.getValue();
            extra[i++] = (int) (e.getValue() >>> 32);
        }
        return raw(str(name), info(BtfKind.ENUM64, values.size(), false), 8, extra);
    }

    int functionProto(int returnType, int... parameterTypes) {
        int[] extra = new int[parameterTypes.length * 2];
        for (int i = 0; i < parameterTypes.length; i++) {
            extra[2 * i + 1] = parameterTypes[i];
        }
        return raw(0, info(BtfKind.FUNC_PROTO, parameterTypes.length, false), returnType, extra);
    }

    /** The whole blob: 24-byte header, type section, string section. */
    byte[] bytes() {
        int typeLen = types.stream().mapToInt(w -> w.length * 4).sum();
        byte[] strs = strings.toByteArray();
        ByteBuffer buf = ByteBuffer.allocate(24 + typeLen + strs.length).order(order);
        buf.putShort((short) 0xEB9F).put((byte) 1).put((byte) 0).putInt(24);
        buf.putInt(0).putInt(typeLen).putInt(typeLen).putInt(strs.length);
        types.forEach(words -> {
            for (int w : words) {
                buf.putInt(w);
            }
        });
        buf.put(strs);
        return buf.array();
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes());
    }
}
