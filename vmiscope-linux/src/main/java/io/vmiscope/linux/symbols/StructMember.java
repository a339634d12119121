package io.vmiscope.linux.symbols;

/**
 * A member of a struct or union. Members of anonymous nested structs/unions are flattened into their
 * container with offsets adjusted, so {@code task_struct.__state} is found directly.
 *
 * @param name       member name
 * @param offsetBits offset from the start of the outermost struct, in bits
 * @param sizeBits   size in bits (the bitfield width for bitfields), 0 when unknown
 * @param typeName   C-like type description, e.g. {@code "int"}, {@code "struct list_head"},
 *                   {@code "struct cred *"}, {@code "char[16]"}
 */
public record StructMember(String name, long offsetBits, long sizeBits, String typeName) {

    /** Offset in bytes; bitfields round down to their containing byte. */
    public long offsetBytes() {
        return offsetBits / 8;
    }

    public boolean isBitfield() {
        return offsetBits % 8 != 0 || sizeBits % 8 != 0;
    }
}
