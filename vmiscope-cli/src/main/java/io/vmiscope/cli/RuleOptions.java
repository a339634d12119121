package io.vmiscope.cli;

import io.vmiscope.detect.Detector;
import io.vmiscope.detect.Detectors;
import io.vmiscope.detect.IntegrityDetector;
import io.vmiscope.detect.anomaly.AnomalyDetector;
import io.vmiscope.detect.anomaly.AnomalyModel;
import io.vmiscope.detect.anomaly.ModelFile;
import io.vmiscope.detect.sigma.RuleLoader;
import io.vmiscope.detect.sigma.RuleSet;
import io.vmiscope.detect.sigma.SigmaDetector;
import io.vmiscope.events.ActionSpec;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.session.DetectionCoverage;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The options that choose what detects — Sigma rules and a syscall-sequence anomaly model — shared by every
 * command that detects, which all build their detector here. Unsupported rules are reported on stderr, never
 * dropped silently; a malformed rule file stops the command with its {@code file:line: reason}; a model file that
 * is missing, corrupt or of another format version stops it with {@code file: reason} and exit code 2.
 */
final class RuleOptions {

    /** The most processes the anomaly detector follows at once (the least recently active is forgotten). */
    static final int MAX_PROCESSES = 65_536;

    @Option(names = "--rules", paramLabel = "DIR", description = "more Sigma rules: a directory (searched for "
            + "*.yml, *.yaml) or a file; repeatable")
    List<Path> rules = new ArrayList<>();

    @Option(names = "--disable", paramLabel = "RULE_ID", description = "switch a rule off by its id (repeatable; "
            + "many: --disable @FILE with one '--disable ID' per line)")
    Set<String> disabled = new LinkedHashSet<>();

    @Option(names = "--no-default-rules", description = "only the rules of --rules, not vmiscope's default ruleset")
    boolean noDefaults;

    @Option(names = "--no-rules", description = "no Sigma rules at all: only the anomaly model")
    boolean noRules;

    @Option(names = "--anomaly-model", paramLabel = "MODEL", description = "also score each process's syscalls with "
            + "this anomaly model ('vmiscope detect train' writes it): an alert when a process's run is unusual for "
            + "its program. It needs syscall events of the action it was trained on")
    Path anomalyModel;

    /**
     * What detects, and a few words on it for people ({@code 72 rules, anomaly model demo (markov, …)}).
     *
     * @param rules the compiled rules, unless {@code --no-rules}
     * @param model the anomaly model, if given
     */
    record Chosen(Detector detector, Optional<RuleSet> rules, Optional<AnomalyModel> model, String description) {

        /**
         * The detector for a live session, after saying on stderr what detects, which rules see events with the
         * actions that run on {@code linux}'s guest (and which action each blind one waits for), and — for the
         * model — which syscall action to add when none or another one runs.
         *
         * @param howToStart how a user starts an action there, e.g. {@code "add --action %s"}
         */
        Detector live(List<ActionSpec> running, LinuxGuest linux, String howToStart) {
            MonitorCommand.log("detecting live with " + description);
            rules.ifPresent(set -> MonitorCommand.log(DetectionCoverage.of(set.rules(), running,
                    name -> linux.syscalls().select(name)).describe()));
            model.flatMap(m -> syscallAdvice(m, running, howToStart)).ifPresent(MonitorCommand::log);
            return detector;
        }
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

    /**
     * The detector of these options: the rules (unless {@code --no-rules}) and the anomaly model (if given), as
     * one when both.
     *
     * @throws InvalidInputException when the model cannot be used, or nothing is left to detect with
     */
    Chosen detector(PrintWriter err) {
        if (noRules && anomalyModel == null) {
            throw new InvalidInputException("--no-rules leaves nothing to detect with: give an anomaly model");
        }
        Optional<AnomalyModel> model = Optional.ofNullable(anomalyModel).map(RuleOptions::readModel);
        Optional<RuleSet> ruleSet = noRules ? Optional.empty() : Optional.of(load(err));
        List<Detector> all = new ArrayList<>();
        List<String> words = new ArrayList<>();
        ruleSet.ifPresent(set -> {
            all.add(new SigmaDetector(set));
            words.add(set.loaded() + " rules");
        });
        model.ifPresent(m -> {
            all.add(new AnomalyDetector(m, MAX_PROCESSES));
            words.add(describe(m));
        });
        all.add(new IntegrityDetector()); // alerts on the findings of a running checks action, if any
        words.add("cross-view integrity findings");
        return new Chosen(new Detectors(all), ruleSet, model, String.join(", ", words));
    }

    /**
     * One line when the anomaly model will see no syscall events, or other ones than it was trained on, with
     * these actions running; else empty.
     *
     * @param howToStart how a user starts an action here, e.g. {@code "add --action %s"}
     */
    static Optional<String> syscallAdvice(AnomalyModel model, List<ActionSpec> running, String howToStart) {
        String trained = model.syscallAction();
        List<String> traced = running.stream().filter(ActionSpec.Syscalls.class::isInstance).map(Object::toString)
                .toList();
        String wanted = trained.isEmpty() ? "syscalls:all" : trained;
        String name = ProcessListRenderer.safe(model.name());
        if (traced.isEmpty()) {
            return Optional.of("the anomaly model " + name + " scores syscall events, and no action traces syscalls: "
                    + String.format(Locale.ROOT, howToStart, ProcessListRenderer.safe(wanted))
                    + (trained.isEmpty() ? " (or the syscalls it was trained on)" : " (what it was trained on)"));
        }
        if (!trained.isEmpty() && !traced.contains(trained)) {
            return Optional.of("the anomaly model " + name + " was trained on " + ProcessListRenderer.safe(trained)
                    + ", but " + ProcessListRenderer.safe(String.join(" and ", traced)) + " runs: other calls make "
                    + "windows it never saw (false alarms); " + String.format(Locale.ROOT, howToStart,
                    ProcessListRenderer.safe(trained)) + " instead");
        }
        return Optional.empty();
    }

    private static String describe(AnomalyModel m) {
        return String.format(Locale.ROOT, "anomaly model %s (%s, window %d, threshold %.3f for %.1f%% false alarms, "
                        + "%d programs)", ProcessListRenderer.safe(m.name()), m.settings().method().label(),
                m.settings().window(), m.threshold().score(), m.threshold().farTarget() * 100, m.programs().size());
    }

    private static AnomalyModel readModel(Path file) {
        AnomalyModel model;
        try {
            model = ModelFile.read(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such model file", e);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read the model: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
        if (Double.isInfinite(model.threshold().score())) {
            throw new InvalidInputException(file + ": the model has no finite threshold (trained without held-out "
                    + "traces, or by an older vmiscope on too few): it would never raise an alert on a sequence");
        }
        return model;
    }
}
