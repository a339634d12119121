package io.vmiscope.gdb;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class PacketCodecProperties {

    @Property
    void anyPayload_survivesEncodeThenDecode_whateverTheReadSplits(@ForAll @Size(max = 600) byte[] payload,
            @ForAll @IntRange(min = 1, max = 37) int readSize) {
        byte[] frame = new byte[PacketCodec.maxFrameLength(payload.length)];
        int length = PacketCodec.encode(payload, 0, payload.length, frame);
        PacketCodec.Decoder decoder = new PacketCodec.Decoder(1 << 20);
        int packets = 0;
        for (int start = 0; start < length; start += readSize) {
            for (int i = start; i < Math.min(length, start + readSize); i++) {
                int event = decoder.feed(frame[i]);
                assertThat(event).isIn(PacketCodec.Decoder.NONE, PacketCodec.Decoder.PACKET);
                if (event == PacketCodec.Decoder.PACKET) {
                    packets++;
                }
            }
        }
        assertThat(packets).isEqualTo(1);
        assertThat(Arrays.copyOf(decoder.payload(), decoder.length())).isEqualTo(payload);
    }

    @Property
    void anyNoise_neverThrows_andNeverGrowsBeyondTheLimit(@ForAll @Size(max = 300) byte[] noise) {
        PacketCodec.Decoder decoder = new PacketCodec.Decoder(64);
        for (byte b : noise) {
            decoder.feed(b);
            assertThat(decoder.length()).isLessThanOrEqualTo(64);
        }
    }
}
