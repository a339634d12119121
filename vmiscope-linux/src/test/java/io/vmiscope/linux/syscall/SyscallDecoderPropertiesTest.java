package io.vmiscope.linux.syscall;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile user memory: whatever the bytes and registers, the decoder returns text and never throws. */
class SyscallDecoderPropertiesTest {

    private static final long BASE = 0x7f00_0000_0000L;
    private static final DecodeLimits SMALL = new DecodeLimits(300, 64, 16, 8, 40);

    @Provide
    Arbitrary<Long> registers() {
        // pointers into (and around) the random pages, small numbers, and anything at all
        return Arbitraries.oneOf(
                Arbitraries.longs().between(BASE - 64, BASE + 3 * FakeUserMemory.PAGE + 64),
                Arbitraries.longs().between(-200, 200),
                Arbitraries.longs());
    }

    @Provide
    Arbitrary<SyscallSignature> signatures() {
        Arbitrary<ArgType> types = Arbitraries.of(ArgType.class);
        return types.list().ofMinSize(1).ofMaxSize(5).map(list -> {
            List<SyscallSignature.Param> params = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                ArgType type = list.get(i);
                boolean needsLength = type == ArgType.BUFFER || type == ArgType.SOCKADDR;
                params.add(new SyscallSignature.Param("a" + i, type, needsLength ? 5 : -1));
            }
            params.add(new SyscallSignature.Param("len", ArgType.SIZE, -1));
            while (params.size() < 6) {
                params.add(params.size() - 1, new SyscallSignature.Param("p" + params.size(), ArgType.HEX, -1));
            }
            return new SyscallSignature("random", params, ReturnKind.INT);
        });
    }

    @Provide
    Arbitrary<long[]> argumentRegisters() {
        return Combinators.combine(registers(), registers(), registers(), registers(), registers(), registers())
                .as((a, b, c, d, e, f) -> new long[] {a, b, c, d, e, f});
    }

    @Property(tries = 400)
    void everyTypeOnRandomMemory_givesTextAndNeverThrows(@ForAll("signatures") SyscallSignature signature,
                                                          @ForAll("argumentRegisters") long[] args,
                                                          @ForAll @Size(max = 3 * 4096) byte[] pageBytes,
                                                          @ForAll boolean holeInTheMiddle) {
        FakeUserMemory memory = new FakeUserMemory().put(BASE, pageBytes);
        if (holeInTheMiddle) {
            memory.unmap(BASE + FakeUserMemory.PAGE);
        }

        List<DecodedArg> decoded = SyscallDecoder.decode(signature, args, memory, SMALL);

        assertThat(decoded).hasSize(6).allSatisfy(arg -> {
            assertThat(arg.text()).isNotNull().doesNotContain("\n", "\r");
            assertThat(arg.text().length()).isLessThan(20_000);
        });
        assertThat(memory.bytesRead).isLessThan(64 * 1024);
    }

    @Property(tries = 200)
    void everyKnownSignature_onRandomRegisters_givesTextAndNeverThrows(
            @ForAll("known") String syscall, @ForAll("argumentRegisters") long[] args,
            @ForAll @Size(max = 2 * 4096) byte[] pageBytes) {
        FakeUserMemory memory = new FakeUserMemory().put(BASE, pageBytes);

        List<DecodedArg> decoded = SyscallDecoder.decode(syscall, args, memory, DecodeLimits.DEFAULT);

        assertThat(decoded).hasSize(SyscallSignature.of(syscall).params().size())
                .allSatisfy(arg -> assertThat(arg.text()).isNotBlank());
        assertThat(ReturnFormatter.format(syscall, args[0])).isNotBlank();
    }

    @Provide
    Arbitrary<String> known() {
        return Arbitraries.of(List.copyOf(SyscallSignature.known()));
    }

    @Property(tries = 300)
    void sockaddrsOfAnyBytes_areOneLine(@ForAll @Size(max = 128) byte[] bytes) {
        assertThat(Sockaddrs.format(bytes, bytes.length)).isNotEmpty().doesNotContain("\n");
    }
}
