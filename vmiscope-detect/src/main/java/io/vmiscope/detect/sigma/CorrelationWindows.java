package io.vmiscope.detect.sigma;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The open windows of one correlation rule in one VM: per group (the values of its group-by fields) the recent
 * matches of its base rules. A match is added with its time; the correlation fires when, within
 * {@code timespan} of the oldest match it counts (both ends inclusive), its condition holds — then the group starts
 * afresh, so one burst raises one alert. Bounded: at most {@link #MAX_GROUPS} groups (least recently matched
 * forgotten first) and {@link #MAX_MATCHES} matches per group. Not thread-safe.
 */
final class CorrelationWindows {

    static final int MAX_GROUPS = 10_000;
    static final int MAX_MATCHES = 1_000;
    static final int MAX_KEY_CHARS = 1_024;

    private record Match(long timeNanos, String eventId, String value) {
    }

    /** One group's state: matches for the counting types; per base rule (or step) the newest for the temporal ones. */
    private static final class Group {
        final ArrayDeque<Match> matches = new ArrayDeque<>();
        final long[] startNanos;
        final List<List<String>> evidence;

        Group(int bases) {
            startNanos = new long[bases];
            Arrays.fill(startNanos, Long.MIN_VALUE);
            evidence = new ArrayList<>(bases);
            for (int i = 0; i < bases; i++) {
                evidence.add(null);
            }
        }
    }

    private final CorrelationRule rule;
    private final Map<String, Group> groups = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Group> eldest) {
            return size() > MAX_GROUPS;
        }
    };

    CorrelationWindows(CorrelationRule rule) {
        this.rule = rule;
    }

    /**
     * Base rule number {@code base} matched {@code event}.
     *
     * @return the evidence ids (oldest first) when the correlation fires now, else {@code null}
     */
    List<String> add(int base, SigmaEvent event, long timeNanos) {
        String key = key(rule.groupFields().get(base), event);
        Group g = groups.computeIfAbsent(key, k -> new Group(rule.bases().size()));
        return switch (rule.type()) {
            case EVENT_COUNT, VALUE_COUNT -> count(g, base, event, timeNanos);
            case TEMPORAL -> temporal(g, base, event.eventId(), timeNanos);
            case TEMPORAL_ORDERED -> ordered(g, base, event.eventId(), timeNanos);
        };
    }

    private List<String> count(Group g, int base, SigmaEvent event, long now) {
        String value = rule.type() == CorrelationRule.Type.VALUE_COUNT
                ? event.value(rule.valueFields().get(base)) : null;
        if (rule.type() == CorrelationRule.Type.VALUE_COUNT && value == null) {
            return null;
        }
        g.matches.addLast(new Match(now, event.eventId(), value));
        expire(g.matches, now);
        while (g.matches.size() > MAX_MATCHES) {
            g.matches.removeFirst();
        }
        long count;
        if (rule.type() == CorrelationRule.Type.EVENT_COUNT) {
            count = g.matches.size();
        } else {
            Set<String> distinct = new HashSet<>();
            g.matches.forEach(m -> distinct.add(m.value()));
            count = distinct.size();
        }
        if (!rule.reached(count)) {
            return null;
        }
        List<String> ids = g.matches.stream().map(Match::eventId).toList();
        g.matches.clear();
        return ids;
    }

    private void expire(ArrayDeque<Match> matches, long now) {
        Iterator<Match> it = matches.iterator();
        while (it.hasNext() && it.next().timeNanos() < now - rule.timespanNanos()) {
            it.remove();
        }
    }

    /** Every base rule has a match within the timespan, in any order. */
    private List<String> temporal(Group g, int base, String eventId, long now) {
        g.startNanos[base] = now;
        g.evidence.set(base, List.of(eventId));
        for (long start : g.startNanos) {
            if (start == Long.MIN_VALUE || start < now - rule.timespanNanos()) {
                return null;
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < g.startNanos.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> Long.compare(g.startNanos[a], g.startNanos[b]));
        List<String> ids = new ArrayList<>();
        order.forEach(i -> ids.add(g.evidence.get(i).get(0)));
        reset(g);
        return ids;
    }

    /**
     * The base rules match in their order within the timespan of the first. Step {@code i} keeps the newest chain
     * that has reached it (newest start: the most room left in the window).
     */
    private List<String> ordered(Group g, int base, String eventId, long now) {
        if (base == 0) {
            g.startNanos[0] = now;
            g.evidence.set(0, List.of(eventId));
        } else {
            long start = g.startNanos[base - 1];
            if (start == Long.MIN_VALUE || start < now - rule.timespanNanos()) {
                return null;
            }
            List<String> chain = new ArrayList<>(g.evidence.get(base - 1));
            chain.add(eventId);
            g.startNanos[base] = start;
            g.evidence.set(base, chain);
        }
        int last = g.startNanos.length - 1;
        if (base != last) {
            return null;
        }
        List<String> ids = List.copyOf(g.evidence.get(last));
        reset(g);
        return ids;
    }

    private static void reset(Group g) {
        Arrays.fill(g.startNanos, Long.MIN_VALUE);
        for (int i = 0; i < g.evidence.size(); i++) {
            g.evidence.set(i, null);
        }
    }

    private static String key(List<SigmaField> fields, SigmaEvent event) {
        if (fields.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (SigmaField f : fields) {
            String v = event.value(f);
            b.append(v == null ? "" : v.length() > MAX_KEY_CHARS ? v.substring(0, MAX_KEY_CHARS) : v).append('\u0000');
        }
        return b.toString();
    }
}
