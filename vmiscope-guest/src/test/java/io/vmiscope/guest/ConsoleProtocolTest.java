package io.vmiscope.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ConsoleProtocolTest {

    private static byte[] line(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void request_isIdLimitAndBase64_onOneLine() {
        byte[] request = ConsoleProtocol.request("ab-1", 7, "echo 'x' | tr x y\n");

        assertThat(new String(request, StandardCharsets.US_ASCII))
                .isEqualTo("ab-1 7 " + Base64.getEncoder().encodeToString("echo 'x' | tr x y\n".getBytes()) + "\n");
    }

    @Test
    void request_refusesCommandsOverTheTtyBuffer_andBadIds() {
        assertThatThrownBy(() -> ConsoleProtocol.request("a", 1, "x".repeat(ConsoleProtocol.MAX_COMMAND_BYTES + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsoleProtocol.request("a b", 1, "true")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void assembler_decodesOutput_andExitCode_ofItsOwnId() {
        ConsoleProtocol.Assembler assembler = new ConsoleProtocol.Assembler();
        byte[] odd = {0, 0x1e, '\n', (byte) 0xff, '\r'};
        String encoded = Base64.getMimeEncoder().encodeToString(odd);

        assertThat(assembler.accept(line("\u001eid-1 begin"), Set.of("id-1"))).isEmpty();
        assertThat(assembler.accept(line(encoded), Set.of("id-1"))).isEmpty();
        Optional<ConsoleProtocol.Answer> answer = assembler.accept(line("\u001eid-1 end 3"), Set.of("id-1"));

        assertThat(answer).get().satisfies(a -> {
            assertThat(a.exitCode()).isEqualTo(3);
            assertThat(a.output()).containsExactly(odd);
        });
    }

    @Test
    void assembler_skipsStaleAnswers_echoedRequests_andGarbage() {
        ConsoleProtocol.Assembler assembler = new ConsoleProtocol.Assembler();
        Set<String> ours = Set.of("new-2");
        String stale = Base64.getEncoder().encodeToString("stale".getBytes());

        assertThat(assembler.accept(line("old-1 5 dHJ1ZQ=="), ours)).isEmpty();
        assertThat(assembler.accept(line("\u001eold-1 begin"), ours)).isEmpty();
        assertThat(assembler.accept(line(stale), ours)).isEmpty();
        assertThat(assembler.accept(line("\u001eold-1 end 0"), ours)).isEmpty();
        assertThat(assembler.accept(line("\u001enew-2 end 0"), ours)).as("end without begin").isEmpty();
        assertThat(assembler.accept(line("\u001enew-2 begin\r"), ours)).isEmpty();
        Optional<ConsoleProtocol.Answer> answer = assembler.accept(line("\u001enew-2 end 0"), ours);

        assertThat(answer).get().satisfies(a -> assertThat(a.output()).isEmpty());
    }
}
