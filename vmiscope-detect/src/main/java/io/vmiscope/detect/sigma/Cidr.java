package io.vmiscope.detect.sigma;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code fe80::/10}), for Sigma's {@code |cidr}.
 * Addresses are parsed as literals only — never resolved as host names. Immutable and thread-safe.
 */
final class Cidr {

    private final byte[] network;
    private final int prefixBits;

    private Cidr(byte[] network, int prefixBits) {
        this.network = network;
        this.prefixBits = prefixBits;
    }

    /** @throws IllegalArgumentException with a one-line reason for anything else */
    static Cidr parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        byte[] address = address(slash < 0 ? t : t.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("not a CIDR network: '" + t + "'");
        }
        int bits = address.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > address.length * 8) {
                throw new IllegalArgumentException("not a CIDR prefix length: '" + t + "'");
            }
        }
        return new Cidr(address, bits);
    }

    boolean contains(String ip) {
        byte[] a = address(ip.strip());
        if (a == null || a.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefixBits; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of an IPv4 or IPv6 literal, or {@code null}. */
    static byte[] address(String s) {
        return s.indexOf(':') >= 0 ? ipv6(s) : ipv4(s);
    }

    private static byte[] ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = decimal(parts[i]);
            if (v < 0 || v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        return b;
    }

    private static byte[] ipv6(String s) {
        int zone = s.indexOf('%');
        String t = zone >= 0 ? s.substring(0, zone) : s;
        int gap = t.indexOf("::");
        if (gap != t.lastIndexOf("::")) {
            return null;
        }
        String[] head = gap < 0 ? t.split(":", -1) : t.substring(0, gap).isEmpty() ? new String[0]
                : t.substring(0, gap).split(":", -1);
        String[] tail = gap < 0 ? new String[0] : t.substring(gap + 2).isEmpty() ? new String[0]
                : t.substring(gap + 2).split(":", -1);
        int[] groups = new int[8];
        int count = 0;
        int[] headGroups = groups(head);
        int[] tailGroups = groups(tail);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        count = headGroups.length + tailGroups.length;
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        System.arraycopy(headGroups, 0, groups, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, groups, 8 - tailGroups.length, tailGroups.length);
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (groups[i] >>> 8);
            b[2 * i + 1] = (byte) groups[i];
        }
        return b;
    }

    /** 16-bit groups; a last part in dotted IPv4 form gives two. */
    private static int[] groups(String[] parts) {
        int[] out = new int[parts.length * 2];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && p.indexOf('.') >= 0) {
                byte[] v4 = ipv4(p);
                if (v4 == null) {
                    return null;
                }
                out[n++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                out[n++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                continue;
            }
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            try {
                out[n++] = Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static int decimal(String s) {
        if (s.isEmpty() || s.length() > 3) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i)) || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(s);
    }
}
