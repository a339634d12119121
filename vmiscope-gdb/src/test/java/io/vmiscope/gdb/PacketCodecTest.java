package io.vmiscope.gdb;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Byte-exact framing and decoding. */
class PacketCodecTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String encode(byte[] payload) {
        byte[] frame = new byte[PacketCodec.maxFrameLength(payload.length)];
        int length = PacketCodec.encode(payload, 0, payload.length, frame);
        return new String(frame, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** Feeds {@code wire} byte by byte and returns the events, packets shown as their payload. */
    private static List<String> decode(PacketCodec.Decoder decoder, String wire) {
        List<String> events = new ArrayList<>();
        for (byte b : bytes(wire)) {
            switch (decoder.feed(b)) {
                case PacketCodec.Decoder.PACKET -> events.add(
                        "packet:" + new String(decoder.payload(), 0, decoder.length(), StandardCharsets.ISO_8859_1));
                case PacketCodec.Decoder.ACK -> events.add("ack");
                case PacketCodec.Decoder.NAK -> events.add("nak");
                case PacketCodec.Decoder.BAD_CHECKSUM -> events.add("bad-checksum");
                case PacketCodec.Decoder.GARBAGE -> events.add("garbage:" + decoder.problem());
                default -> { }
            }
        }
        return events;
    }

    private static List<String> decode(String wire) {
        return decode(new PacketCodec.Decoder(1 << 20), wire);
    }

    @Test
    void encode_framesThePayloadWithItsTwoDigitChecksum() {
        assertThat(encode(bytes("OK"))).isEqualTo("$OK#9a");
        assertThat(encode(bytes("mf0000,800"))).isEqualTo("$mf0000,800#" + hex(sum("mf0000,800")));
        assertThat(encode(new byte[0])).isEqualTo("$#00");
    }

    @Test
    void encode_escapesDollarHashBraceAndStar_andChecksumsTheEscapedBytes() {
        String frame = encode(bytes("a$#}*b"));

        assertThat(frame).isEqualTo("$a}\u0004}\u0003}]}\nb#" + hex(sum("a}\u0004}\u0003}]}\nb")));
    }

    @Test
    void decode_acceptsAFramedPacket_andAcknowledgementBytes() {
        assertThat(decode("+$OK#9a-")).containsExactly("ack", "packet:OK", "nak");
    }

    @Test
    void decode_undoesEscapes() {
        assertThat(decode(encode(bytes("x}y*z#$")))).containsExactly("packet:x}y*z#$");
    }

    @Test
    void decode_expandsRunLength() {
        // GDB manual: "0* " means the same as "0000" (' ' is 32 = 3 + 29 repeats).
        String payload = "0* ";
        assertThat(decode("$" + payload + "#" + hex(sum(payload)))).containsExactly("packet:0000");
        String longer = "ab*\"c";
        assertThat(decode("$" + longer + "#" + hex(sum(longer)))).containsExactly("packet:abbbbbbc");
    }

    @Test
    void decode_repeatsAnEscapedByte() {
        String payload = "}]* ";
        assertThat(decode("$" + payload + "#" + hex(sum(payload)))).containsExactly("packet:}}}}");
    }

    @Test
    void decode_reportsABadChecksum_andRecoversForTheNextPacket() {
        assertThat(decode("$OK#00$OK#9a")).containsExactly("bad-checksum", "packet:OK");
    }

    @Test
    void decode_keepsStateAcrossSplitReads() {
        PacketCodec.Decoder decoder = new PacketCodec.Decoder(1 << 20);
        assertThat(decode(decoder, "$T05thr")).isEmpty();
        assertThat(decoder.insidePacket()).isTrue();
        assertThat(decode(decoder, "ead:01;#")).isEmpty();
        assertThat(decode(decoder, "0")).isEmpty();
        assertThat(decode(decoder, "7+")).containsExactly("packet:T05thread:01;", "ack");
        assertThat(decoder.insidePacket()).isFalse();
    }

    @Test
    void decode_carriesEveryByteValue() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        byte[] frame = new byte[PacketCodec.maxFrameLength(all.length)];
        int length = PacketCodec.encode(all, 0, all.length, frame);
        PacketCodec.Decoder decoder = new PacketCodec.Decoder(1 << 20);
        int last = PacketCodec.Decoder.NONE;
        for (int i = 0; i < length; i++) {
            last = decoder.feed(frame[i]);
        }
        assertThat(last).isEqualTo(PacketCodec.Decoder.PACKET);
        assertThat(Arrays.copyOf(decoder.payload(), decoder.length())).isEqualTo(all);
    }

    @Test
    void decode_callsBytesOutsidePacketsGarbage() {
        assertThat(decode("x")).containsExactly("garbage:unexpected byte 'x' outside a packet");
        assertThat(decode("\u0003")).containsExactly("garbage:unexpected byte 0x03 outside a packet");
    }

    @Test
    void decode_callsMalformedPacketsGarbage() {
        assertThat(decode("$*#00")).first().isEqualTo("garbage:run-length marker without a preceding byte");
        assertThat(decode("$a*\u0010#00")).first().isEqualTo("garbage:run-length count 0x10");
        assertThat(decode("$ab#zz")).first().isEqualTo("garbage:checksum digit 'z'");
        assertThat(decode("$ab$")).first().isEqualTo("garbage:'$' inside a packet");
    }

    @Test
    void decode_refusesPacketsLongerThanItsLimit_evenWhenRunLengthInflatesThem() {
        PacketCodec.Decoder decoder = new PacketCodec.Decoder(8);
        assertThat(decode(decoder, "$0*~#00")).first().isEqualTo("garbage:packet longer than 8 bytes");
    }

    @Test
    void hexValue_knowsBothCases_andNothingElse() {
        assertThat(PacketCodec.hexValue('a')).isEqualTo(10);
        assertThat(PacketCodec.hexValue('F')).isEqualTo(15);
        assertThat(PacketCodec.hexValue('g')).isEqualTo(-1);
        assertThat(PacketCodec.hexValue((byte) 0xb0)).isEqualTo(-1);
    }

    private static int sum(String text) {
        int sum = 0;
        for (byte b : bytes(text)) {
            sum += b & 0xff;
        }
        return sum & 0xff;
    }

    private static String hex(int value) {
        return String.format("%02x", value);
    }
}
