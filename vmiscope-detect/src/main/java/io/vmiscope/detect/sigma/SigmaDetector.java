package io.vmiscope.detect.sigma;

import io.vmiscope.detect.Detector;
import io.vmiscope.detect.FollowUpRequest;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.OneLine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Sigma detection over vmiscope events: each event is mapped to its logsource and fields once, offered to the
 * rules of that logsource only, and a match raises an alert (action {@code sigma}) naming the event as evidence —
 * or feeds the windows of the correlations the rule belongs to.
 *
 * <pre>
 *   event ──▶ EventMapper (+ ProcessTable of its VM) ──▶ SigmaEvent ──▶ rules of its logsource ──▶ alert
 *                                                                                 └──▶ CorrelationWindows ──▶ alert
 * </pre>
 *
 * <p>State is per VM and bounded: at most {@link #MAX_PROCESSES} processes per VM, {@link #MAX_VMS} VMs (least
 * recently seen forgotten), and the correlation windows' own caps. Not thread-safe: one caller feeds it, in time
 * order.
 */
public final class SigmaDetector implements Detector {

    /** The alerts' action. */
    public static final String ACTION = "sigma";
    static final int MAX_PROCESSES = 65_536;
    static final int MAX_VMS = 64;
    static final int MAX_EXPLAINED_CHARS = 120;
    static final int MAX_EVIDENCE = 100;

    private final RuleSet rules;
    /** Each rule's follow-ups, by rule id. */
    private final Map<String, List<FollowUpRequest>> followUps;
    private final SigmaEvent view = new SigmaEvent();
    private final Map<String, VmState> vms = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, VmState> eldest) {
            return size() > MAX_VMS;
        }
    };

    /** One VM's processes and open correlation windows. */
    private final class VmState {
        final EventMapper mapper = new EventMapper(new ProcessTable(MAX_PROCESSES));
        final Map<CorrelationRule, CorrelationWindows> windows = new HashMap<>();
    }

    public SigmaDetector(RuleSet rules) {
        this.rules = rules;
        Map<String, List<FollowUpRequest>> asked = new HashMap<>();
        rules.rules().forEach(r -> asked.put(r.id(), r.followUps()));
        rules.correlations().forEach(c -> asked.put(c.id(), c.followUps()));
        this.followUps = Map.copyOf(asked);
    }

    @Override
    public List<FollowUpRequest> followUps(AlertEvent alert) {
        return alert.action().equals(ACTION) ? followUps.getOrDefault(alert.ruleId(), List.of()) : List.of();
    }

    @Override
    public List<AlertEvent> accept(String eventId, Event event) {
        if (event instanceof AlertEvent) {
            return List.of();
        }
        VmState vm = vms.computeIfAbsent(event.vm(), k -> new VmState());
        if (!vm.mapper.map(eventId, event, view)) {
            return List.of();
        }
        int[] candidates = rules.rulesFor(view.logsource());
        List<AlertEvent> alerts = null;
        for (int index : candidates) {
            SigmaRule rule = rules.rules().get(index);
            if (!rule.matcher().matches(view)) {
                continue;
            }
            if (alerts == null) {
                alerts = new ArrayList<>(1);
            }
            if (rule.generates()) {
                alerts.add(alert(event, rule.id(), rule.title(), rule.level(), rule.techniques(), List.of(eventId),
                        explain(rule), rule.followUps()));
            }
            List<CorrelationRule> fed = rules.feeds(index);
            List<Integer> positions = rules.feedPositions(index);
            for (int i = fed.size() - 1; i >= 0; i--) {
                CorrelationRule c = fed.get(i);
                List<String> evidence = vm.windows.computeIfAbsent(c, CorrelationWindows::new)
                        .add(positions.get(i), view, event.timeNanos());
                if (evidence != null) {
                    alerts.add(alert(event, c.id(), c.title(), c.level(), c.techniques(), capped(evidence),
                            correlationExplanation(c, evidence.size()), c.followUps()));
                }
            }
        }
        return alerts == null ? List.of() : alerts;
    }

    private static List<String> capped(List<String> evidence) {
        return evidence.size() <= MAX_EVIDENCE ? evidence : evidence.subList(evidence.size() - MAX_EVIDENCE,
                evidence.size());
    }

    private static AlertEvent alert(Event event, String ruleId, String title, AlertEvent.Level level,
                                    List<String> techniques, List<String> evidence, String explanation,
                                    List<FollowUpRequest> followUps) {
        String followUp = followUps.isEmpty() ? "" : "requested: " + followUps.stream()
                .map(FollowUpRequest::describe).collect(Collectors.joining("; "));
        return new AlertEvent(event.timeNanos(), event.vm(), ACTION, event.process(), ruleId, title, level,
                techniques, evidence, explanation, followUp);
    }

    /** The rule's title and the values of the fields it reads, each capped: why it fired, on one line. */
    private String explain(SigmaRule rule) {
        StringBuilder b = new StringBuilder(rule.title()).append(':');
        for (SigmaField f : rule.fields()) {
            String v = view.value(f);
            if (v != null) {
                b.append(' ').append(f.sigmaName()).append("='").append(OneLine.of(v, MAX_EXPLAINED_CHARS))
                        .append('\'');
            }
        }
        return OneLine.of(b.toString(), 600);
    }

    private static String correlationExplanation(CorrelationRule c, int events) {
        String what = switch (c.type()) {
            case EVENT_COUNT -> events + " matching events";
            case VALUE_COUNT -> "values of " + events + " matching events, " + c.operator() + " " + c.threshold()
                    + " distinct";
            case TEMPORAL -> "all of " + c.bases().size() + " rules matched";
            case TEMPORAL_ORDERED -> c.bases().size() + " rules matched in order";
        };
        return OneLine.of(c.title() + ": " + what + " within " + c.timespanNanos() / 1_000_000_000L + " s ("
                + c.bases().stream().map(SigmaRule::title).collect(Collectors.joining(" → ")) + ")", 600);
    }
}
