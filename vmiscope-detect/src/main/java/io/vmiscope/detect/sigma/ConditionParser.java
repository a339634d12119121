package io.vmiscope.detect.sigma;

import io.vmiscope.events.OneLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles a Sigma {@code condition} over the rule's named selections (sigma-specification, "Condition"):
 * {@code and}, {@code or}, {@code not} (binding tighter than {@code and}, which binds tighter than {@code or}),
 * parentheses, {@code 1 of X}, {@code all of X} and {@code N of X} where X is a name, a name pattern with
 * {@code *} ({@code selection_*}) or {@code them} (every selection whose name does not start with {@code _}).
 * The v1 aggregations after {@code |} are reported as unsupported.
 */
final class ConditionParser {

    private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|\\||[^\\s()|]+)");

    private final List<String> tokens = new ArrayList<>();
    private final Map<String, EventMatcher> selections;
    private final int line;
    private int at;

    private ConditionParser(String condition, Map<String, EventMatcher> selections, int line) {
        this.selections = selections;
        this.line = line;
        Matcher m = TOKEN.matcher(condition);
        int end = 0;
        while (m.lookingAt()) {
            tokens.add(m.group(1));
            end = m.end();
            m.region(end, condition.length());
        }
        if (!condition.substring(end).isBlank()) {
            throw new RuleSyntaxException(line, "cannot read the condition at '" + OneLine.of(condition.substring(end), 30)
                    + "'");
        }
    }

    /** Compiles {@code condition}; {@code selections} by name, in the rule's order. */
    static EventMatcher compile(String condition, Map<String, EventMatcher> selections, int line) {
        ConditionParser p = new ConditionParser(condition, selections, line);
        if (p.tokens.isEmpty()) {
            throw new RuleSyntaxException(line, "an empty condition");
        }
        EventMatcher m = p.or();
        if (p.at < p.tokens.size()) {
            String next = p.tokens.get(p.at);
            if (next.equals("|")) {
                throw new UnsupportedRuleException("aggregation in the condition ('| …', Sigma v1) is not supported: "
                        + "use a correlation rule");
            }
            throw new RuleSyntaxException(line, "unexpected '" + OneLine.of(next, 30) + "' in the condition");
        }
        return m;
    }

    private EventMatcher or() {
        List<EventMatcher> parts = new ArrayList<>(List.of(and()));
        while (peek("or")) {
            at++;
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : anyOf(parts);
    }

    private EventMatcher and() {
        List<EventMatcher> parts = new ArrayList<>(List.of(not()));
        while (peek("and")) {
            at++;
            parts.add(not());
        }
        return parts.size() == 1 ? parts.get(0) : allOf(parts);
    }

    private EventMatcher not() {
        if (peek("not")) {
            at++;
            EventMatcher inner = not();
            return e -> !inner.matches(e);
        }
        return primary();
    }

    private EventMatcher primary() {
        String t = next("a selection, '(' or 'not'");
        if (t.equals("(")) {
            EventMatcher inner = or();
            String close = next("')'");
            if (!close.equals(")")) {
                throw new RuleSyntaxException(line, "expected ')' in the condition, found '" + OneLine.of(close, 30) + "'");
            }
            return inner;
        }
        if (peek("of")) {
            at++;
            return quantified(t, next("a selection name or pattern after 'of'"));
        }
        if (isKeyword(t)) {
            throw new RuleSyntaxException(line, "unexpected '" + t + "' in the condition");
        }
        EventMatcher s = selections.get(t);
        if (s == null) {
            throw new RuleSyntaxException(line, "the condition names '" + OneLine.of(t, 40)
                    + "', which the detection does not define");
        }
        return s;
    }

    private EventMatcher quantified(String quantifier, String target) {
        List<EventMatcher> chosen = new ArrayList<>();
        Pattern glob = Pattern.compile(Pattern.quote(target).replace("*", "\\E.*\\Q"));
        for (Map.Entry<String, EventMatcher> s : selections.entrySet()) {
            boolean picked = target.equals("them") ? !s.getKey().startsWith("_") : glob.matcher(s.getKey()).matches();
            if (picked) {
                chosen.add(s.getValue());
            }
        }
        if (chosen.isEmpty()) {
            throw new RuleSyntaxException(line, "'" + OneLine.of(quantifier + " of " + target, 50)
                    + "' matches no selection");
        }
        String q = quantifier.toLowerCase(Locale.ROOT);
        if (q.equals("all")) {
            return allOf(chosen);
        }
        int needed;
        try {
            needed = q.equals("any") ? 1 : Integer.parseInt(q);
        } catch (NumberFormatException e) {
            throw new RuleSyntaxException(line, "'" + OneLine.of(quantifier, 20) + " of': expected 1, all or a count");
        }
        if (needed < 1) {
            throw new RuleSyntaxException(line, "'" + needed + " of': the count must be at least 1");
        }
        if (needed == 1) {
            return anyOf(chosen);
        }
        EventMatcher[] some = chosen.toArray(EventMatcher[]::new);
        return e -> {
            int hits = 0;
            for (EventMatcher m : some) {
                if (m.matches(e) && ++hits >= needed) {
                    return true;
                }
            }
            return false;
        };
    }

    /** Every part matches (evaluated in order, stopping at the first that does not). */
    static EventMatcher allOf(List<? extends EventMatcher> parts) {
        EventMatcher[] all = parts.toArray(EventMatcher[]::new);
        return e -> {
            for (EventMatcher m : all) {
                if (!m.matches(e)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** Some part matches (evaluated in order, stopping at the first that does). */
    static EventMatcher anyOf(List<? extends EventMatcher> parts) {
        EventMatcher[] any = parts.toArray(EventMatcher[]::new);
        return e -> {
            for (EventMatcher m : any) {
                if (m.matches(e)) {
                    return true;
                }
            }
            return false;
        };
    }

    private boolean peek(String keyword) {
        return at < tokens.size() && tokens.get(at).equalsIgnoreCase(keyword);
    }

    private String next(String expected) {
        if (at >= tokens.size()) {
            throw new RuleSyntaxException(line, "the condition ends where " + expected + " was expected");
        }
        return tokens.get(at++);
    }

    private static boolean isKeyword(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "and", "or", "not", ")", "|", "of" -> true;
            default -> false;
        };
    }
}
