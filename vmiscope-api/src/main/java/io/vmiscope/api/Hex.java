package io.vmiscope.api;

/** Hex formatting shared by the address types and error messages. */
public final class Hex {
    private Hex() {
    }

    /** {@code 0x} followed by 16 lower-case hex digits, as addresses are shown everywhere in vmiscope. */
    public static String address(long value) {
        return String.format("0x%016x", value);
    }

    /** Parses {@code 0x…} or plain hex digits (unsigned 64-bit). */
    public static long parse(String text) {
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        return Long.parseUnsignedLong(digits, 16);
    }
}
