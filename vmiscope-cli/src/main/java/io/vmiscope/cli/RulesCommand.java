package io.vmiscope.cli;

import io.vmiscope.detect.sigma.RuleLoader;
import io.vmiscope.detect.sigma.RuleSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code vmiscope rules check DIR…}: which Sigma rules vmiscope can evaluate, and why not the others. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Sigma rules (docs/detection.md).",
        subcommands = RulesCommand.Check.class)
final class RulesCommand {

    /** One unsupported rule, on one line. */
    static String describe(RuleSet.Unsupported u) {
        return ProcessListRenderer.safe(u.source() + " " + u.id() + " '" + u.title() + "': " + u.reason());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Load Sigma rule files (directories are searched for *.yml, *.yaml) — without DIR, "
                    + "vmiscope's default ruleset — and print each rule that cannot be evaluated with its reason, "
                    + "each malformed file as file:line: reason, and a closing line 'N rules loaded, M unsupported'. "
                    + "Exit code 1 when a file is malformed.", "", "Examples:",
                    "  vmiscope rules check", "  vmiscope rules check ~/sigma/rules/linux"})
    static final class Check implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", arity = "0..*", description = "rule files or directories")
        List<Path> sources = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            RuleSet set = RuleLoader.load(sources, sources.isEmpty(), Set.of());
            set.unsupported().forEach(u -> out.println("unsupported: " + describe(u)));
            set.malformed().forEach(m -> out.println("malformed: " + ProcessListRenderer.safe(m)));
            out.println(set.loaded() + " rules loaded, " + set.unsupported().size() + " unsupported"
                    + (set.malformed().isEmpty() ? "" : ", " + set.malformed().size() + " malformed"));
            out.flush();
            return set.malformed().isEmpty() ? 0 : 1;
        }
    }
}
