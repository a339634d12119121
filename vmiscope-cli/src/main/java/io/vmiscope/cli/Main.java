package io.vmiscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code vmiscope <command>}. Errors become one line on stderr, exit code 1. */
@Command(name = "vmiscope", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Controlled, visualisation-supported intrusion detection by virtual machine introspection.",
        subcommands = {DemoCommand.class, GuestCommand.class, ProfileCommand.class, PsCommand.class, ModulesCommand.class, CheckCommand.class,
                MemoryCommand.class, DumpCommand.class, MonitorCommand.class, ImportCommand.class, ExportCommand.class,
                QueryCommand.class, DetectCommand.class, RulesCommand.class, ServeCommand.class, OverheadCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new OneLineErrors());
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"vmiscope " + (version == null ? "development build" : version)};
        }
    }
}
