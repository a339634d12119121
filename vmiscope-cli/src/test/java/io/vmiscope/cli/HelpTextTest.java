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

    @Test
    void everyDbOption_hasTheOneDefault_exceptMonitors_whichIsOptionalAndSaysSo() {
        List<CommandLine> commands = new ArrayList<>();
        collect(Main.commandLine(), commands);
        List<String> defaulted = new ArrayList<>();
        for (CommandLine c : commands) {
            CommandLine.Model.OptionSpec db = c.getCommandSpec().findOption("--db");
            if (db == null) {
                continue;
            }
            if (c.getCommandName().equals("monitor")) {
                assertThat(db.defaultValue()).isNull();
                assertThat(String.join(" ", db.description())).contains("none unless given").contains(DbOption.DEFAULT);
            } else {
                assertThat(db.defaultValue()).as(c.getCommandName()).isEqualTo(DbOption.DEFAULT);
                assertThat(String.join(" ", db.description())).as(c.getCommandName()).contains("default: " + DbOption.DEFAULT);
                defaulted.add(c.getCommandName());
            }
        }
        assertThat(defaulted).contains("query", "export", "serve", "demo", "measure", "calibrate", "fit", "predict");
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().stream().distinct().forEach(c -> collect(c, into));
    }
}
