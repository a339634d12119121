package io.vmiscope.linux.btf;

import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.symbols.StructMember;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed BTF blob (the {@code .BTF} section of a vmlinux), following the kernel's
 * Documentation/bpf/btf.rst. Parsing validates the whole blob up front: the header and section bounds,
 * every type record's length, every string offset, every type id a record refers to, and that no chain
 * of references (typedef, const, pointer, array, function prototype …) is cyclic or deeper than
 * {@value #MAX_REFERENCE_DEPTH}. Anything wrong throws {@link ProfileException} with a one-line reason
 * starting with {@code "BTF: "}; no partial result is returned.
 *
 * <p>After parsing, {@link #structs()} turns every named struct and union into a {@link StructLayout}
 * with C-like member type names; members of anonymous nested structs and unions are flattened into their
 * container with offsets adjusted, so {@code task_struct.__state} is found directly.
 *
 * <p>Both byte orders are accepted (the magic tells which). The parser keeps a reference to (a slice of)
 * the buffer it was given; callers must not modify it afterwards. Instances are not thread-safe: they
 * memoise type names; confine one to a thread or synchronise externally.
 */
public final class Btf {

    /** {@code BTF_MAGIC}, as read in the blob's own byte order. */
    static final int MAGIC = 0xEB9F;
    static final int VERSION = 1;
    static final int MIN_HEADER_BYTES = 24;
    /** {@code BTF_MAX_TYPE}: the largest type id the format allows. */
    static final int MAX_TYPE_ID = 0xFFFFF;
    /** Longest chain of type references followed when naming or sizing a type. */
    public static final int MAX_REFERENCE_DEPTH = 64;
    /** Deepest nesting of anonymous structs/unions flattened into one struct. */
    public static final int MAX_ANONYMOUS_NESTING = 32;
    /** Most members one struct may have after flattening. */
    public static final int MAX_MEMBERS_PER_STRUCT = 1 << 16;
    /** Most members all structs together may have after flattening. */
    public static final int MAX_MEMBERS_TOTAL = 1 << 23;

    private static final int TYPE_RECORD_BYTES = 12;
    private static final String ANONYMOUS_BODY = "{...}";

    private final ByteBuffer types;
    private final byte[] strings;
    private final int count;
    private final BtfKind[] kinds;
    private final int[] nameOffsets;
    private final int[] infos;
    private final int[] sizeOrTypes;
    private final int[] dataPositions;
    private final String[] typeNames;
    /** Set once in {@link #scan}, after validation made reading names safe. */
    private long pointerSizeBytes;

    private Btf(ByteBuffer types, byte[] strings, int count, BtfKind[] kinds, int[] nameOffsets, int[] infos,
                int[] sizeOrTypes, int[] dataPositions) {
        this.types = types;
        this.strings = strings;
        this.count = count;
        this.kinds = kinds;
        this.nameOffsets = nameOffsets;
        this.infos = infos;
        this.sizeOrTypes = sizeOrTypes;
        this.dataPositions = dataPositions;
        this.typeNames = new String[count];
    }

    /**
     * Parses and validates a BTF blob: the buffer's remaining bytes, from its position.
     *
     * @throws ProfileException when the blob is malformed (one-line reason)
     */
    public static Btf parse(ByteBuffer section) {
        ByteBuffer buf = section.slice();
        int total = buf.remaining();
        if (total < MIN_HEADER_BYTES) {
            throw fail("blob of " + total + " bytes is too short for a header");
        }
        int magic = (buf.get(0) & 0xff) | (buf.get(1) & 0xff) << 8;
        ByteOrder order;
        if (magic == MAGIC) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (magic == Integer.reverseBytes(MAGIC) >>> 16) {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw fail(String.format("bad magic 0x%04x (expected 0x%04x)", magic, MAGIC));
        }
        buf.order(order);
        int version = buf.get(2) & 0xff;
        if (version != VERSION) {
            throw fail("unsupported version " + version);
        }
        long headerBytes = u32(buf.getInt(4));
        if (headerBytes < MIN_HEADER_BYTES || headerBytes > total) {
            throw fail("header length " + headerBytes + " outside 24.." + total);
        }
        long typeOff = u32(buf.getInt(8));
        long typeLen = u32(buf.getInt(12));
        long strOff = u32(buf.getInt(16));
        long strLen = u32(buf.getInt(20));
        if (headerBytes + typeOff + typeLen > total) {
            throw fail("type section (offset " + typeOff + ", " + typeLen + " bytes) runs past the blob's "
                    + total + " bytes");
        }
        if (headerBytes + strOff + strLen > total) {
            throw fail("string section (offset " + strOff + ", " + strLen + " bytes) runs past the blob's "
                    + total + " bytes");
        }
        byte[] strings = new byte[(int) strLen];
        buf.get((int) (headerBytes + strOff), strings);
        if (strings.length == 0 || strings[0] != 0 || strings[strings.length - 1] != 0) {
            throw fail("string section must start and end with a NUL byte");
        }
        ByteBuffer types = buf.slice((int) (headerBytes + typeOff), (int) typeLen).order(order);
        return scan(types, strings);
    }

    private static Btf scan(ByteBuffer types, byte[] strings) {
        int typeLen = types.remaining();
        int capacity = Math.min(typeLen / TYPE_RECORD_BYTES + 1, MAX_TYPE_ID + 1);
        BtfKind[] kinds = new BtfKind[capacity];
        int[] nameOffsets = new int[capacity];
        int[] infos = new int[capacity];
        int[] sizeOrTypes = new int[capacity];
        int[] dataPositions = new int[capacity];
        kinds[0] = BtfKind.VOID;
        int id = 1;
        int pos = 0;
        while (pos < typeLen) {
            if (id > MAX_TYPE_ID) {
                throw fail("more than " + MAX_TYPE_ID + " types");
            }
            if (typeLen - pos < TYPE_RECORD_BYTES) {
                throw fail("type " + id + " truncated at type-section offset " + pos);
            }
            int info = types.getInt(pos + 4);
            BtfKind kind = BtfKind.ofCode((info >>> 24) & 0x1f);
            if (kind == null) {
                throw fail("type " + id + " has unknown kind " + ((info >>> 24) & 0x1f));
            }
            long extra = trailingBytes(kind, info & 0xffff);
            if (pos + TYPE_RECORD_BYTES + extra > typeLen) {
                throw fail("type " + id + " (" + kind + ") runs past the end of the type section");
            }
            kinds[id] = kind;
            nameOffsets[id] = types.getInt(pos);
            infos[id] = info;
            sizeOrTypes[id] = types.getInt(pos + 8);
            dataPositions[id] = pos + TYPE_RECORD_BYTES;
            pos += TYPE_RECORD_BYTES + (int) extra;
            id++;
        }
        Btf btf = new Btf(types, strings, id, kinds, nameOffsets, infos, sizeOrTypes, dataPositions);
        btf.validateReferences();
        btf.validateReferenceChains();
        btf.pointerSizeBytes = btf.findPointerSize();
        return btf;
    }

    /** Bytes that follow the 12-byte {@code btf_type} for this kind (btf.rst §2.2). */
    private static long trailingBytes(BtfKind kind, int vlen) {
        return switch (kind) {
            case INT, VAR, DECL_TAG -> 4;
            case ARRAY -> 12;
            case STRUCT, UNION, DATASEC, ENUM64 -> 12L * vlen;
            case ENUM, FUNC_PROTO -> 8L * vlen;
            default -> 0;
        };
    }

    /** Number of type ids, including the implicit {@code void} (id 0). */
    public int typeCount() {
        return count;
    }

    /** The kind of a type. @throws ProfileException for an id out of range */
    public BtfKind kind(int id) {
        checkId(id);
        return kinds[id];
    }

    /** The type's own name ({@code ""} for anonymous types and for {@code void}). */
    public String name(int id) {
        checkId(id);
        return id == 0 ? "" : string(nameOffsets[id]);
    }

    /**
     * A C-like name for a type: {@code "int"}, {@code "struct list_head"}, {@code "struct cred *"},
     * {@code "char[16]"}, {@code "int (*)(struct file *, long)"}. Typedefs are followed to what they name
     * (keeping the typedef's name when it names an anonymous struct, union or enum, e.g.
     * {@code "atomic_t"}); {@code const}, {@code volatile}, {@code restrict} and type tags are dropped.
     */
    public String typeName(int id) {
        checkId(id);
        return nameOf(id, 0);
    }

    /** {@code sizeof} the type in bytes; 0 for {@code void}, functions and forward declarations. */
    public long sizeBytes(int id) {
        checkId(id);
        return sizeOf(id, 0);
    }

    /**
     * Every named struct and union as a layout, by tag. A struct and a union with the same tag: the
     * struct wins; two definitions of the same kind and tag: the lower type id wins.
     *
     * @throws ProfileException when a member lies outside its struct or flattening exceeds the limits
     */
    public Map<String, StructLayout> structs() {
        Map<String, StructLayout> result = new HashMap<>();
        Map<String, BtfKind> kindOfTag = new HashMap<>();
        int[] budget = {MAX_MEMBERS_TOTAL};
        for (int id = 1; id < count; id++) {
            BtfKind kind = kinds[id];
            if (!kind.isComposite() || nameOffsets[id] == 0) {
                continue;
            }
            String tag = string(nameOffsets[id]);
            BtfKind previous = kindOfTag.get(tag);
            if (previous != null && !(previous == BtfKind.UNION && kind == BtfKind.STRUCT)) {
                continue;
            }
            List<StructMember> members = new ArrayList<>(vlen(id));
            flatten(id, 0, 0, tag, members, budget);
            result.put(tag, new StructLayout(tag, u32(sizeOrTypes[id]), members));
            kindOfTag.put(tag, kind);
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * The layout of one struct or union type id (anonymous ones get the name {@code ""}).
     *
     * @throws ProfileException when the id is not a struct or union, or its members are malformed
     */
    public StructLayout layout(int id) {
        checkId(id);
        if (!kinds[id].isComposite()) {
            throw fail("type " + describe(id) + " is not a struct or union");
        }
        String tag = string(nameOffsets[id]);
        List<StructMember> members = new ArrayList<>(vlen(id));
        flatten(id, 0, 0, tag, members, new int[] {MAX_MEMBERS_TOTAL});
        return new StructLayout(tag, u32(sizeOrTypes[id]), members);
    }

    /**
     * Named enums (ENUM and ENUM64) with their constants in declaration order, by tag (lower type id wins on
     * a clash). Computed on each call.
     */
    public Map<String, Map<String, Long>> enums() {
        Map<String, Map<String, Long>> result = new HashMap<>();
        for (int id = 1; id < count; id++) {
            if (isEnum(kinds[id]) && nameOffsets[id] != 0) {
                String tag = string(nameOffsets[id]);
                if (!result.containsKey(tag)) {
                    result.put(tag, Collections.unmodifiableMap(enumConstants(id)));
                }
            }
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * Every enumerator of every enum, named or anonymous, by name (lower type id wins on a clash).
     * Computed on each call.
     */
    public Map<String, Long> enumerators() {
        Map<String, Long> result = new HashMap<>();
        for (int id = 1; id < count; id++) {
            if (isEnum(kinds[id])) {
                enumConstants(id).forEach(result::putIfAbsent);
            }
        }
        return Collections.unmodifiableMap(result);
    }

    private static boolean isEnum(BtfKind kind) {
        return kind == BtfKind.ENUM || kind == BtfKind.ENUM64;
    }

    private Map<String, Long> enumConstants(int id) {
        Map<String, Long> constants = new LinkedHashMap<>();
        boolean signed = kindFlag(id);
        int base = dataPositions[id];
        for (int i = 0; i < vlen(id); i++) {
            long value;
            String name;
            if (kinds[id] == BtfKind.ENUM) {
                int at = base + 8 * i;
                name = string(types.getInt(at));
                int raw = types.getInt(at + 4);
                value = signed ? raw : u32(raw);
            } else {
                int at = base + 12 * i;
                name = string(types.getInt(at));
                value = u32(types.getInt(at + 4)) | (long) types.getInt(at + 8) << 32;
            }
            constants.putIfAbsent(name, value);
        }
        return constants;
    }

    // ---- validation ----------------------------------------------------------------------------------

    private void validateReferences() {
        for (int id = 1; id < count; id++) {
            checkString(id, nameOffsets[id], "name");
            BtfKind kind = kinds[id];
            int data = dataPositions[id];
            switch (kind) {
                case PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, VAR, DECL_TAG, TYPE_TAG ->
                        checkReference(id, sizeOrTypes[id], "referenced type");
                case ARRAY -> {
                    checkReference(id, types.getInt(data), "element type");
                    checkReference(id, types.getInt(data + 4), "index type");
                }
                case STRUCT, UNION -> {
                    for (int i = 0; i < vlen(id); i++) {
                        checkString(id, types.getInt(data + 12 * i), "member " + i + " name");
                        checkReference(id, types.getInt(data + 12 * i + 4), "member " + i + " type");
                    }
                }
                case ENUM, ENUM64 -> {
                    int stride = kind == BtfKind.ENUM ? 8 : 12;
                    for (int i = 0; i < vlen(id); i++) {
                        checkString(id, types.getInt(data + stride * i), "enumerator " + i + " name");
                    }
                }
                case FUNC_PROTO -> {
                    checkReference(id, sizeOrTypes[id], "return type");
                    for (int i = 0; i < vlen(id); i++) {
                        checkString(id, types.getInt(data + 8 * i), "parameter " + i + " name");
                        checkReference(id, types.getInt(data + 8 * i + 4), "parameter " + i + " type");
                    }
                }
                case DATASEC -> {
                    for (int i = 0; i < vlen(id); i++) {
                        checkReference(id, types.getInt(data + 12 * i), "variable " + i);
                    }
                }
                default -> {
                    // INT, FWD, FLOAT: no references.
                }
            }
        }
    }

    private void checkString(int id, int offset, String what) {
        if (u32(offset) >= strings.length) {
            throw fail("type " + id + " (" + kinds[id] + ") " + what + " offset " + u32(offset)
                    + " is outside the " + strings.length + "-byte string section");
        }
    }

    private void checkReference(int id, int target, String what) {
        if (u32(target) >= count) {
            throw fail("type " + id + " (" + kinds[id] + ") " + what + " id " + u32(target)
                    + " is out of range (" + count + " types)");
        }
    }

    /**
     * Depth-first over the "refers to" edges that naming and sizing follow (not struct members, which
     * name their struct without descending): rejects cycles and chains deeper than the limit, so the
     * recursive {@link #nameOf} and {@link #sizeOf} are bounded. Iterative, so a hostile chain cannot
     * overflow the stack here.
     */
    private void validateReferenceChains() {
        byte[] state = new byte[count];
        byte[] depth = new byte[count];
        int[] stack = new int[MAX_REFERENCE_DEPTH + 1];
        int[] nextEdge = new int[MAX_REFERENCE_DEPTH + 1];
        for (int root = 1; root < count; root++) {
            if (state[root] != 0) {
                continue;
            }
            int sp = 0;
            stack[0] = root;
            nextEdge[0] = 0;
            state[root] = 1;
            while (sp >= 0) {
                int t = stack[sp];
                int target = referenceAt(t, nextEdge[sp]++);
                if (target < 0) {
                    state[t] = 2;
                    sp--;
                    if (sp >= 0) {
                        raiseDepth(depth, stack[sp], depth[t] + 1);
                    }
                } else if (target != 0) {
                    if (state[target] == 1) {
                        throw fail("type reference cycle through type " + describe(target));
                    } else if (state[target] == 2) {
                        raiseDepth(depth, t, depth[target] + 1);
                    } else if (sp + 1 > MAX_REFERENCE_DEPTH) {
                        throw fail("type reference chain deeper than " + MAX_REFERENCE_DEPTH + " at type "
                                + describe(root));
                    } else {
                        sp++;
                        stack[sp] = target;
                        nextEdge[sp] = 0;
                        state[target] = 1;
                    }
                }
            }
        }
    }

    private void raiseDepth(byte[] depth, int id, int candidate) {
        if (candidate > MAX_REFERENCE_DEPTH) {
            throw fail("type reference chain deeper than " + MAX_REFERENCE_DEPTH + " at type " + describe(id));
        }
        if (candidate > depth[id]) {
            depth[id] = (byte) candidate;
        }
    }

    /** The edge-th type this type refers to for naming/sizing, or -1 when it has no more. */
    private int referenceAt(int id, int edge) {
        return switch (kinds[id]) {
            case PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, VAR, DECL_TAG, TYPE_TAG ->
                    edge == 0 ? sizeOrTypes[id] : -1;
            case ARRAY -> edge == 0 ? types.getInt(dataPositions[id]) : -1;
            case FUNC_PROTO -> edge == 0 ? sizeOrTypes[id]
                    : edge <= vlen(id) ? types.getInt(dataPositions[id] + 8 * (edge - 1) + 4) : -1;
            default -> -1;
        };
    }

    // ---- layouts -------------------------------------------------------------------------------------

    /**
     * Appends the members of composite {@code id} placed at {@code baseBits}, descending into anonymous
     * struct/union members. {@code budget[0]} counts down the members all structs may still produce.
     */
    private void flatten(int id, long baseBits, int nesting, String outer, List<StructMember> out, int[] budget) {
        long limitBits = u32(sizeOrTypes[id]) * 8;
        boolean bitfieldEncoding = kindFlag(id);
        int data = dataPositions[id];
        for (int i = 0; i < vlen(id); i++) {
            int at = data + 12 * i;
            int nameOffset = types.getInt(at);
            int type = types.getInt(at + 4);
            int rawOffset = types.getInt(at + 8);
            // btf.rst §2.2.4: with kind_flag set, offset = bitfield_size << 24 | bit_offset.
            long bitOffset = bitfieldEncoding ? rawOffset & 0xFFFFFF : u32(rawOffset);
            long bitfieldBits = bitfieldEncoding ? rawOffset >>> 24 : 0;
            int target = skipModifiers(type, false);
            if (!bitfieldEncoding && kinds[target] == BtfKind.INT) {
                // Old encoding: the bitfield's width and extra offset sit in the INT's encoding word.
                int encoding = types.getInt(dataPositions[target]);
                int intBits = encoding & 0xff;
                int intOffset = (encoding >>> 16) & 0xff;
                if (intOffset != 0 || intBits != u32(sizeOrTypes[target]) * 8) {
                    bitOffset += intOffset;
                    bitfieldBits = intBits;
                }
            }
            long sizeBits = bitfieldBits != 0 ? bitfieldBits : sizeOf(type, 0) * 8;
            if (bitOffset + sizeBits > limitBits) {
                throw fail("member " + i + " of " + describe(id) + " in struct " + outer + " (bits "
                        + bitOffset + "+" + sizeBits + ") exceeds its size of " + limitBits + " bits");
            }
            if (--budget[0] < 0 || out.size() >= MAX_MEMBERS_PER_STRUCT) {
                throw fail("struct " + outer + " has too many members after flattening");
            }
            if (nameOffset != 0) {
                out.add(new StructMember(string(nameOffset), baseBits + bitOffset, sizeBits, nameOf(type, 0)));
            } else if (kinds[skipModifiers(type, true)].isComposite()) {
                if (nesting >= MAX_ANONYMOUS_NESTING) {
                    throw fail("anonymous members of struct " + outer + " nested deeper than "
                            + MAX_ANONYMOUS_NESTING);
                }
                flatten(skipModifiers(type, true), baseBits + bitOffset, nesting + 1, outer, out, budget);
            }
            // An unnamed non-composite member is bitfield padding (": 0" or ": n"): nothing to expose.
        }
    }

    /** Follows const/volatile/restrict/type tags, and typedefs too when asked. */
    private int skipModifiers(int id, boolean throughTypedefs) {
        int t = id;
        for (int hops = 0; hops <= MAX_REFERENCE_DEPTH && kinds[t].isModifier()
                && (throughTypedefs || kinds[t] != BtfKind.TYPEDEF); hops++) {
            t = sizeOrTypes[t];
        }
        return t;
    }

    // ---- naming and sizing (depth bounded by validateReferenceChains) --------------------------------

    private String nameOf(int id, int depth) {
        String memo = typeNames[id];
        if (memo != null) {
            return memo;
        }
        guardDepth(id, depth);
        String name = switch (kinds[id]) {
            case VOID -> "void";
            case INT, FLOAT, FUNC, VAR, DATASEC -> string(nameOffsets[id]);
            case STRUCT -> tagged("struct ", id);
            case UNION -> tagged("union ", id);
            case ENUM, ENUM64 -> tagged("enum ", id);
            case FWD -> (kindFlag(id) ? "union " : "struct ") + string(nameOffsets[id]);
            case TYPEDEF -> {
                String underlying = nameOf(sizeOrTypes[id], depth + 1);
                yield underlying.contains(ANONYMOUS_BODY) ? string(nameOffsets[id]) : underlying;
            }
            case VOLATILE, CONST, RESTRICT, TYPE_TAG, DECL_TAG -> nameOf(sizeOrTypes[id], depth + 1);
            case PTR -> pointerName(sizeOrTypes[id], depth + 1);
            case ARRAY -> arrayName(id, depth);
            case FUNC_PROTO -> functionName(id, "", depth);
        };
        typeNames[id] = name;
        return name;
    }

    private String tagged(String keyword, int id) {
        return keyword + (nameOffsets[id] == 0 ? ANONYMOUS_BODY : string(nameOffsets[id]));
    }

    private String pointerName(int target, int depth) {
        int pointee = skipModifiers(target, true);
        if (kinds[pointee] == BtfKind.FUNC_PROTO) {
            return functionName(pointee, "(*)", depth);
        }
        String name = nameOf(target, depth);
        return name.endsWith("*") ? name + "*" : name + " *";
    }

    private String arrayName(int id, int depth) {
        StringBuilder dims = new StringBuilder();
        int t = id;
        int level = depth;
        while (kinds[t] == BtfKind.ARRAY) {
            guardDepth(t, level++);
            dims.append('[').append(u32(types.getInt(dataPositions[t] + 8))).append(']');
            t = types.getInt(dataPositions[t]);
        }
        return nameOf(t, level) + dims;
    }

    private String functionName(int id, String declarator, int depth) {
        StringBuilder sb = new StringBuilder(nameOf(sizeOrTypes[id], depth + 1));
        sb.append(declarator.isEmpty() ? " " : " " + declarator).append('(');
        int params = vlen(id);
        for (int i = 0; i < params; i++) {
            int param = types.getInt(dataPositions[id] + 8 * i + 4);
            if (i > 0) {
                sb.append(", ");
            }
            // btf.rst §2.2.13: a last parameter with type 0 marks a variadic function.
            sb.append(param == 0 && i == params - 1 ? "..." : nameOf(param, depth + 1));
        }
        return sb.append(params == 0 ? "void)" : ")").toString();
    }

    private long sizeOf(int id, int depth) {
        guardDepth(id, depth);
        return switch (kinds[id]) {
            case INT, STRUCT, UNION, ENUM, ENUM64, FLOAT, DATASEC -> u32(sizeOrTypes[id]);
            case PTR -> pointerSizeBytes;
            case ARRAY -> {
                long elements = u32(types.getInt(dataPositions[id] + 8));
                long element = sizeOf(types.getInt(dataPositions[id]), depth + 1);
                if (element != 0 && elements > Long.MAX_VALUE / 8 / element) {
                    throw fail("size of array type " + id + " overflows");
                }
                yield elements * element;
            }
            case TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG, VAR, DECL_TAG -> sizeOf(sizeOrTypes[id], depth + 1);
            default -> 0;
        };
    }

    private void guardDepth(int id, int depth) {
        if (depth > MAX_REFERENCE_DEPTH) {
            throw fail("type reference chain deeper than " + MAX_REFERENCE_DEPTH + " at type " + describe(id));
        }
    }

    /** BTF carries no pointer size; take it from {@code long} as libbpf does, else assume 64-bit. */
    private long findPointerSize() {
        for (int id = 1; id < count; id++) {
            if (kinds[id] == BtfKind.INT && nameOffsets[id] != 0) {
                String name = string(nameOffsets[id]);
                if (name.equals("long int") || name.equals("long unsigned int")) {
                    long size = u32(sizeOrTypes[id]);
                    if (size == 4 || size == 8) {
                        return size;
                    }
                }
            }
        }
        return 8;
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private int vlen(int id) {
        return infos[id] & 0xffff;
    }

    private boolean kindFlag(int id) {
        return infos[id] < 0;
    }

    /** The NUL-terminated string at an offset already validated against the section. */
    private String string(int offset) {
        int start = offset;
        int end = start;
        while (strings[end] != 0) {
            end++;
        }
        return new String(strings, start, end - start, StandardCharsets.UTF_8);
    }

    private String describe(int id) {
        String name = id == 0 ? "" : string(nameOffsets[id]);
        return id + " (" + kinds[id] + (name.isEmpty() ? "" : " '" + name + "'") + ")";
    }

    private void checkId(int id) {
        if (id < 0 || id >= count) {
            throw fail("type id " + id + " is out of range (" + count + " types)");
        }
    }

    private static long u32(int value) {
        return value & 0xFFFF_FFFFL;
    }

    private static ProfileException fail(String reason) {
        return new ProfileException("BTF: " + reason);
    }
}
