package io.vmiscope.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command's --help renders cleanly: picocli formats descriptions, so a bare '%' garbles them. */
class HelpTextTest {

    @Test
    void everyCommandsHelp_rendersWithoutPicocliWarnings() {
        List<CommandLine> commands = new ArrayList<>();
        collect(Main.commandLine(), commands);
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            for (CommandLine c : commands) {
                assertThat(c.getUsageMessage()).as(c.getCommandName()).contains("Usage:");
            }
        } finally {
            System.setErr(saved);
        }
        assertThat(commands).hasSizeGreaterThan(20);
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().stream().distinct().forEach(c -> collect(c, into));
    }
}
