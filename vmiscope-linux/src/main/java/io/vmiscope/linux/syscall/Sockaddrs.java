package io.vmiscope.linux.syscall;

import io.vmiscope.linux.walk.GuestStrings;

import java.nio.charset.StandardCharsets;

/**
 * Socket addresses as text: {@code sockaddr_in} {@code 127.0.0.1:80}, {@code sockaddr_in6}
 * {@code [::1]:80} (RFC 5952 text form, {@code %scope} when set), {@code sockaddr_un} its path or
 * {@code @name} for the abstract namespace, other families {@code family=N}. Works on however many
 * bytes the caller could read; short addresses say so.
 */
final class Sockaddrs {

    /** {@code sizeof(struct sockaddr_storage)}: no family's address is longer. */
    static final int MAX_BYTES = 128;

    private static final int AF_UNIX = 1;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCKADDR_IN_BYTES = 8;
    private static final int SOCKADDR_IN6_BYTES = 24;
    private static final int SOCKADDR_IN6_SCOPE_END = 28;

    private Sockaddrs() {
    }

    static String format(byte[] bytes, int length) {
        if (length < 2) {
            return "<short sockaddr: " + length + " bytes>";
        }
        int family = u16le(bytes, 0);
        return switch (family) {
            case AF_INET -> length < SOCKADDR_IN_BYTES ? shortAddress("AF_INET", length) : inet(bytes);
            case AF_INET6 -> length < SOCKADDR_IN6_BYTES ? shortAddress("AF_INET6", length) : inet6(bytes, length);
            case AF_UNIX -> unix(bytes, length);
            default -> "family=" + family;
        };
    }

    private static String shortAddress(String family, int length) {
        return "<short " + family + " sockaddr: " + length + " bytes>";
    }

    private static String inet(byte[] b) {
        return (b[4] & 0xff) + "." + (b[5] & 0xff) + "." + (b[6] & 0xff) + "." + (b[7] & 0xff) + ":" + u16be(b, 2);
    }

    private static String inet6(byte[] b, int length) {
        StringBuilder text = new StringBuilder("[").append(ipv6(b, 8));
        if (length >= SOCKADDR_IN6_SCOPE_END) {
            long scope = Integer.toUnsignedLong(u32le(b, 24));
            if (scope != 0) {
                text.append('%').append(scope);
            }
        }
        return text.append("]:").append(u16be(b, 2)).toString();
    }

    /** RFC 5952: lower case, no leading zeros, the longest run (≥ 2) of zero groups as {@code ::}. */
    static String ipv6(byte[] b, int offset) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = u16be(b, offset + 2 * i);
        }
        if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff) {
            // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad
            return "::ffff:" + (b[offset + 12] & 0xff) + "." + (b[offset + 13] & 0xff) + "."
                    + (b[offset + 14] & 0xff) + "." + (b[offset + 15] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static String unix(byte[] b, int length) {
        int pathBytes = length - 2;
        if (pathBytes == 0) {
            return "(unnamed)";
        }
        if (b[2] == 0) {
            // abstract namespace: the name is every byte after the leading NUL, NULs included
            // (String's constructor replaces malformed UTF-8 with U+FFFD; NULs are escaped as \0)
            return "@" + Escapes.escape(new String(b, 3, pathBytes - 1, StandardCharsets.UTF_8));
        }
        return Escapes.escape(GuestStrings.cString(b, 2, pathBytes));
    }

    private static int u16le(byte[] b, int offset) {
        return (b[offset] & 0xff) | (b[offset + 1] & 0xff) << 8;
    }

    private static int u16be(byte[] b, int offset) {
        return (b[offset] & 0xff) << 8 | (b[offset + 1] & 0xff);
    }

    private static int u32le(byte[] b, int offset) {
        return u16le(b, offset) | u16le(b, offset + 2) << 16;
    }
}
