package io.vmiscope.gdb;

/**
 * Byte-level framing of the GDB remote serial protocol: {@code $payload#cs}, where {@code cs} is the
 * modulo-256 sum of the bytes between {@code $} and {@code #} as sent, in two lower-case hex digits
 * (GDB manual, "Overview" of the remote protocol).
 *
 * <p>Encoding escapes the four bytes {@code $ # } *} as {@code }} followed by the byte xor 0x20 and
 * never compresses. Decoding is a streaming state machine ({@link Decoder}) that accepts escapes and
 * run-length encoding ({@code X*n}: {@code X} repeated {@code n - 29} more times) and recognises the
 * acknowledgement bytes {@code +} and {@code -} between packets. Not thread-safe.
 */
final class PacketCodec {

    static final byte ACK = '+';
    static final byte NAK = '-';
    static final byte INTERRUPT = 0x03;

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private PacketCodec() {
    }

    /** The largest frame {@link #encode} can produce for a payload of {@code payloadLength} bytes. */
    static int maxFrameLength(int payloadLength) {
        return 2 * payloadLength + 4;
    }

    /**
     * Frames {@code payload[offset, offset+length)} into {@code frame} (at least
     * {@link #maxFrameLength} bytes long).
     *
     * @return the number of frame bytes written
     */
    static int encode(byte[] payload, int offset, int length, byte[] frame) {
        int out = 0;
        frame[out++] = '$';
        int sum = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = payload[i];
            if (needsEscape(b)) {
                frame[out++] = '}';
                byte escaped = (byte) (b ^ 0x20);
                frame[out++] = escaped;
                sum += '}' + (escaped & 0xff);
            } else {
                frame[out++] = b;
                sum += b & 0xff;
            }
        }
        frame[out++] = '#';
        frame[out++] = HEX_DIGITS[(sum >> 4) & 0xf];
        frame[out++] = HEX_DIGITS[sum & 0xf];
        return out;
    }

    private static boolean needsEscape(byte b) {
        return b == '$' || b == '#' || b == '}' || b == '*';
    }

    private static final byte[] HEX_VALUES = new byte[256];

    static {
        java.util.Arrays.fill(HEX_VALUES, (byte) -1);
        for (int i = 0; i < 16; i++) {
            HEX_VALUES["0123456789abcdef".charAt(i)] = (byte) i;
            HEX_VALUES["0123456789ABCDEF".charAt(i)] = (byte) i;
        }
    }

    /** Value of one hex digit (a char or an unsigned byte value), or -1. */
    static int hexValue(int c) {
        return c >= 0 && c < 256 ? HEX_VALUES[c] : -1;
    }

    static byte hexDigit(int nibble) {
        return HEX_DIGITS[nibble & 0xf];
    }

    /**
     * Turns received bytes into protocol events, one byte at a time, keeping its state across calls
     * so that a packet may arrive split over any number of reads. The payload of the last completed
     * packet stays in {@link #payload()} until the next byte is fed.
     */
    static final class Decoder {

        /** Event codes returned by {@link #feed(byte)}. */
        static final int NONE = 0;
        static final int ACK = 1;
        static final int NAK = 2;
        static final int PACKET = 3;
        static final int BAD_CHECKSUM = 4;
        static final int GARBAGE = 5;

        private static final int IDLE = 0;
        private static final int DATA = 1;
        private static final int ESCAPE = 2;
        private static final int REPEAT = 3;
        private static final int CHECKSUM_HIGH = 4;
        private static final int CHECKSUM_LOW = 5;

        private final int maxPayloadBytes;
        private byte[] payload;
        private int length;
        private int state = IDLE;
        private int sum;
        private int expectedSum;
        private String problem = "";

        /** @param maxPayloadBytes the longest decoded payload accepted; longer packets are garbage */
        Decoder(int maxPayloadBytes) {
            this.maxPayloadBytes = maxPayloadBytes;
            this.payload = new byte[Math.min(4096, maxPayloadBytes)];
        }

        /** Feeds one received byte; returns one of the event codes. */
        int feed(byte b) {
            int c = b & 0xff;
            switch (state) {
                case IDLE:
                    if (c == '$') {
                        state = DATA;
                        length = 0;
                        sum = 0;
                        return NONE;
                    }
                    if (c == '+') {
                        return ACK;
                    }
                    if (c == '-') {
                        return NAK;
                    }
                    return garbage("unexpected byte " + printable(c) + " outside a packet");
                case DATA:
                    if (c == '#') {
                        state = CHECKSUM_HIGH;
                        return NONE;
                    }
                    if (c == '$') {
                        return garbage("'$' inside a packet");
                    }
                    sum += c;
                    if (c == '}') {
                        state = ESCAPE;
                        return NONE;
                    }
                    if (c == '*') {
                        if (length == 0) {
                            return garbage("run-length marker without a preceding byte");
                        }
                        state = REPEAT;
                        return NONE;
                    }
                    return append((byte) c);
                case ESCAPE:
                    sum += c;
                    state = DATA;
                    return append((byte) (c ^ 0x20));
                case REPEAT:
                    sum += c;
                    state = DATA;
                    return repeat(c);
                case CHECKSUM_HIGH:
                    return checksumDigit(c, CHECKSUM_LOW);
                default:
                    return checksumDigit(c, IDLE);
            }
        }

        private int checksumDigit(int c, int next) {
            int v = hexValue(c);
            if (v < 0) {
                return garbage("checksum digit " + printable(c));
            }
            if (next == CHECKSUM_LOW) {
                expectedSum = v << 4;
                state = CHECKSUM_LOW;
                return NONE;
            }
            state = IDLE;
            return ((expectedSum | v) == (sum & 0xff)) ? PACKET : BAD_CHECKSUM;
        }

        private int append(byte b) {
            if (length >= maxPayloadBytes) {
                return garbage("packet longer than " + maxPayloadBytes + " bytes");
            }
            if (length == payload.length) {
                payload = java.util.Arrays.copyOf(payload, Math.min(maxPayloadBytes, length * 2));
            }
            payload[length++] = b;
            return NONE;
        }

        private int repeat(int countChar) {
            // GDB manual, "Overview": the count character is n + 29, printable, and never '#' or '$'.
            if (countChar < 32 || countChar > 126 || countChar == '#' || countChar == '$') {
                return garbage("run-length count " + printable(countChar));
            }
            byte last = payload[length - 1];
            for (int i = countChar - 29; i > 0; i--) {
                int event = append(last);
                if (event != NONE) {
                    return event;
                }
            }
            return NONE;
        }

        private int garbage(String why) {
            problem = why;
            state = IDLE;
            return GARBAGE;
        }

        /** The decoded payload of the last {@link #PACKET} event (valid up to {@link #length()}). */
        byte[] payload() {
            return payload;
        }

        int length() {
            return length;
        }

        /** What was wrong, after a {@link #GARBAGE} event. */
        String problem() {
            return problem;
        }

        /** True while a packet has started but not yet ended. */
        boolean insidePacket() {
            return state != IDLE;
        }

        private static String printable(int c) {
            return c >= 32 && c < 127 ? "'" + (char) c + "'" : String.format("0x%02x", c);
        }
    }
}
