package io.vmiscope.session;

import io.vmiscope.detect.sigma.SigmaRule;
import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ProcessFilter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which live rules can fire with the actions that run, and which are blind until another action runs: a rule
 * sees events when one of its inputs ({@link SigmaRule#inputs()}) is covered by a running action for every
 * process. What a user needs before trusting a quiet alert list.
 *
 * @param rules   the rules that read live events (Linux logsources)
 * @param seeing  how many of them see events with what runs
 * @param blind   for each action that would give the blind ones their events, their titles
 */
public record DetectionCoverage(int rules, int seeing, Map<ActionSpec, List<String>> blind) {

    /** Titles listed per missing action; the rest are counted. */
    private static final int TITLES_SHOWN = 3;

    public DetectionCoverage {
        blind = Collections.unmodifiableMap(new LinkedHashMap<>(blind));
    }

    /**
     * @param running  the actions that run (or are about to)
     * @param syscalls the calls a syscall selection ({@code "file,openat"}) traces on this guest
     */
    public static DetectionCoverage of(List<SigmaRule> rules, List<ActionSpec> running,
                                       Function<String, Set<String>> syscalls) {
        Set<String> traced = new HashSet<>();
        Set<Class<?>> eventActions = new HashSet<>();
        for (ActionSpec spec : running) {
            if (spec instanceof ActionSpec.Syscalls s && s.processes().equals(ProcessFilter.ALL)) {
                s.names().forEach(name -> traced.addAll(expand(name, syscalls)));
            } else if (everyProcess(spec)) {
                eventActions.add(spec.getClass());
            }
        }
        int live = 0;
        int seeing = 0;
        Map<ActionSpec, List<String>> blind = new LinkedHashMap<>();
        for (SigmaRule rule : rules) {
            if (rule.inputs().isEmpty()) {
                continue;
            }
            live++;
            if (rule.inputs().stream().anyMatch(in -> covered(in, eventActions, traced, syscalls))) {
                seeing++;
            } else {
                blind.computeIfAbsent(rule.inputs().get(0), k -> new ArrayList<>()).add(rule.title());
            }
        }
        return new DetectionCoverage(live, seeing, blind);
    }

    private static boolean everyProcess(ActionSpec spec) {
        if (spec instanceof ActionSpec.ProcessEvents p) {
            return p.processes().equals(ProcessFilter.ALL);
        } else if (spec instanceof ActionSpec.FileEvents f) {
            return f.processes().equals(ProcessFilter.ALL);
        } else if (spec instanceof ActionSpec.NetworkEvents n) {
            return n.processes().equals(ProcessFilter.ALL);
        }
        return false;
    }

    private static boolean covered(ActionSpec input, Set<Class<?>> eventActions, Set<String> traced,
                                   Function<String, Set<String>> syscalls) {
        if (input instanceof ActionSpec.Syscalls s) {
            return s.names().stream().allMatch(name -> traced.containsAll(expand(name, syscalls)));
        }
        return eventActions.contains(input.getClass());
    }

    /** A name or group as this guest has it; one it does not know stays itself (never traced, so never covered). */
    private static Set<String> expand(String name, Function<String, Set<String>> syscalls) {
        try {
            return syscalls.apply(name);
        } catch (IllegalArgumentException unknown) {
            return Set.of(name);
        }
    }

    /** One line for people: how many rules see events, and which action each blind group of rules waits for. */
    public String describe() {
        StringBuilder s = new StringBuilder("detection: " + seeing + " of " + rules + " live rules see events with "
                + "the running actions");
        if (blind.isEmpty()) {
            return s.append(" (all)").toString();
        }
        s.append("; blind until these run (start them from the browser, which previews their cost, or with --action):");
        blind.forEach((action, titles) -> {
            s.append(' ').append(action).append(" (").append(titles.size())
                    .append(titles.size() == 1 ? " rule: " : " rules: ").append(String.join(", ", titles.subList(0, Math.min(TITLES_SHOWN, titles.size()))))
                    .append(titles.size() > TITLES_SHOWN ? ", …" : "").append(");");
        });
        s.setLength(s.length() - 1);
        return s.toString();
    }
}
