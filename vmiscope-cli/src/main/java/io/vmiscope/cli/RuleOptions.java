package io.vmiscope.cli;

import io.vmiscope.detect.Detector;
import io.vmiscope.detect.IntegrityDetector;
import io.vmiscope.detect.sigma.RuleLoader;
import io.vmiscope.detect.sigma.RuleSet;
import io.vmiscope.detect.sigma.SigmaDetector;
import io.vmiscope.events.ActionSpec;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.session.DetectionCoverage;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The options that choose Sigma rules — shared by every command that detects. Unsupported rules are reported on
 * stderr, never dropped silently; a malformed rule file stops the command with its {@code file:line: reason}.
 */
final class RuleOptions {

    @Option(names = "--rules", paramLabel = "DIR", description = "more Sigma rules: a directory (searched for "
            + "*.yml, *.yaml) or a file; repeatable")
    List<Path> rules = new ArrayList<>();

    @Option(names = "--disable", paramLabel = "RULE_ID", description = "switch a rule off by its id (repeatable; "
            + "many: --disable @FILE with one '--disable ID' per line)")
    Set<String> disabled = new LinkedHashSet<>();

    @Option(names = "--no-default-rules", description = "only the rules of --rules, not vmiscope's default ruleset")
    boolean noDefaults;

    /**
     * The live detector of the chosen rules beside the cross-view integrity alerts, after saying on stderr which
     * rules see events with the actions that run on {@code linux}'s guest and which action each blind one waits for.
     */
    Detector liveDetector(List<ActionSpec> running, LinuxGuest linux) {
        PrintWriter err = new PrintWriter(System.err, true);
        RuleSet set = load(err);
        MonitorCommand.log(DetectionCoverage.of(set.rules(), running, name -> linux.syscalls().select(name)).describe());
        return IntegrityDetector.besides(new SigmaDetector(set));
    }

    /** The chosen rules, compiled. */
    RuleSet load(PrintWriter err) {
        RuleSet set = RuleLoader.load(rules, !noDefaults, disabled);
        for (RuleSet.Unsupported u : set.unsupported()) {
            err.println("vmiscope: rule not used: " + RulesCommand.describe(u));
        }
        if (!set.malformed().isEmpty()) {
            set.malformed().forEach(m -> err.println("vmiscope: " + m));
            err.flush();
            throw new IllegalArgumentException(set.malformed().get(0));
        }
        err.flush();
        return set;
    }
}
