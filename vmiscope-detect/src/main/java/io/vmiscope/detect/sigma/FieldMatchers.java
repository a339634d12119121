package io.vmiscope.detect.sigma;

import io.vmiscope.events.OneLine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles one field test of a selection ({@code CommandLine|contains|all: [...]}) or a keyword list into a
 * {@link EventMatcher}: modifiers are applied to the rule's values once, here — value transformations ({@code wide},
 * {@code base64}, {@code base64offset}, {@code windash}) expand them, wildcards become plain text comparisons where
 * they can and precompiled patterns where they cannot.
 *
 * <p>Sigma semantics (sigma-specification, "Sigma Rules", Modifiers and Wildcards): values are compared
 * case-insensitively unless {@code |cased} or {@code |re}; {@code *} and {@code ?} are wildcards, {@code \*},
 * {@code \?} and {@code \\} escape; several values are alternatives unless {@code |all}; a {@code null} value
 * matches an absent or empty field.
 */
final class FieldMatchers {

    private static final Set<String> MATCH_TYPES = Set.of("contains", "startswith", "endswith", "re", "cidr", "exists",
            "lt", "lte", "gt", "gte");
    /** Modifiers of the Sigma specification that vmiscope does not evaluate (any other name is not Sigma's). */
    private static final Set<String> SPEC_UNSUPPORTED = Set.of("fieldref", "expand", "minute", "hour", "day",
            "week", "month", "year");
    private static final String[] DASHES = {"-", "/", "\u2013", "\u2014", "\u2015"};

    private FieldMatchers() {
    }

    /**
     * @param spec   {@code Field|modifier|…}
     * @param values the rule's values ({@code null} elements for YAML nulls)
     * @param line   where the field is, for errors
     */
    static EventMatcher field(String spec, List<String> values, Set<SigmaField> provided, String logsource, int line) {
        String[] parts = spec.split("\\|", -1);
        String name = parts[0];
        SigmaField field = SigmaField.named(name).filter(provided::contains).orElseThrow(() ->
                new UnsupportedRuleException(UnfilledFields.reason(OneLine.of(name, 60), logsource)));
        Modifiers m = Modifiers.of(parts, line);
        if (m.exists) {
            boolean wanted = values.size() == 1 && "true".equalsIgnoreCase(String.valueOf(values.get(0)));
            if (values.size() != 1 || !(wanted || "false".equalsIgnoreCase(String.valueOf(values.get(0))))) {
                throw new RuleSyntaxException(line, "|exists takes true or false");
            }
            return e -> (e.value(field) != null) == wanted;
        }
        List<ValuePredicate> predicates = predicates(values, m, line);
        boolean all = m.all;
        boolean nullAllowed = predicates.stream().anyMatch(p -> p instanceof ValuePredicate.Empty);
        return e -> {
            String value = e.value(field);
            if (value == null) {
                return nullAllowed && !all;
            }
            String lower = e.lowerValue(field);
            for (ValuePredicate p : predicates) {
                if (p.test(value, lower) != all) {
                    return !all;
                }
            }
            return all;
        };
    }

    /** A keyword list: any (or with {@code all} every) value found in any field the event has. */
    static EventMatcher keywords(String spec, List<String> values, int line) {
        String[] parts = spec.split("\\|", -1);
        Modifiers m = Modifiers.of(parts, line);
        if (m.type.isEmpty()) {
            m.type = "contains";
        }
        List<ValuePredicate> predicates = predicates(values, m, line);
        SigmaField[] fields = SigmaField.values();
        boolean all = m.all;
        return e -> {
            for (ValuePredicate p : predicates) {
                boolean found = false;
                for (SigmaField f : fields) {
                    String v = e.value(f);
                    if (v != null && p.test(v, e.lowerValue(f))) {
                        found = true;
                        break;
                    }
                }
                if (found != all) {
                    return found;
                }
            }
            return all;
        };
    }

    /** The parsed modifier chain of one field. */
    private static final class Modifiers {
        final List<String> transforms = new ArrayList<>();
        String type = "";
        boolean all;
        boolean cased;
        boolean exists;
        int regexFlags;

        static Modifiers of(String[] parts, int line) {
            Modifiers m = new Modifiers();
            for (int i = 1; i < parts.length; i++) {
                String mod = parts[i].toLowerCase(Locale.ROOT);
                switch (mod) {
                    case "all" -> m.all = true;
                    case "cased" -> m.cased = true;
                    case "wide", "utf16le", "utf16be", "utf16", "base64", "base64offset", "windash" ->
                            m.transforms.add(mod);
                    case "i" -> m.regexFlags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                    case "m" -> m.regexFlags |= Pattern.MULTILINE;
                    case "s" -> m.regexFlags |= Pattern.DOTALL;
                    default -> {
                        if (SPEC_UNSUPPORTED.contains(mod)) {
                            throw new UnsupportedRuleException("modifier '" + mod + "' is not supported");
                        }
                        if (!MATCH_TYPES.contains(mod)) {
                            throw new UnsupportedRuleException("modifier '" + OneLine.of(parts[i], 40)
                                    + "' is not a modifier of the Sigma specification");
                        }
                        if (!m.type.isEmpty()) {
                            throw new RuleSyntaxException(line, "two match modifiers: |" + m.type + " and |" + mod);
                        }
                        m.type = mod;
                        m.exists = mod.equals("exists");
                    }
                }
            }
            if (m.regexFlags != 0 && !m.type.equals("re")) {
                throw new RuleSyntaxException(line, "regular-expression flags (|i, |m, |s) without |re");
            }
            return m;
        }
    }

    private static List<ValuePredicate> predicates(List<String> values, Modifiers m, int line) {
        if (values.isEmpty()) {
            throw new RuleSyntaxException(line, "a field with no values");
        }
        List<ValuePredicate> out = new ArrayList<>();
        for (String raw : values) {
            if (raw == null) {
                out.add(new ValuePredicate.Empty());
                continue;
            }
            switch (m.type) {
                case "re" -> out.add(new ValuePredicate.Regex(regex(raw, m.regexFlags, line)));
                case "cidr" -> {
                    try {
                        out.add(new ValuePredicate.InNetwork(Cidr.parse(raw)));
                    } catch (IllegalArgumentException e) {
                        throw new RuleSyntaxException(line, e.getMessage());
                    }
                }
                case "lt", "lte", "gt", "gte" -> {
                    try {
                        out.add(new ValuePredicate.Numeric(m.type, Double.parseDouble(raw.strip())));
                    } catch (NumberFormatException e) {
                        throw new RuleSyntaxException(line, "|" + m.type + " needs a number, not '"
                                + OneLine.of(raw, 40) + "'");
                    }
                }
                default -> {
                    for (Variant v : transformed(raw, m.transforms)) {
                        out.add(text(v, m.type, m.cased || v.cased, line));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** A value after transformations; base64 output is compared with its case. */
    private record Variant(String text, boolean cased) {
    }

    private static List<Variant> transformed(String raw, List<String> transforms) {
        List<Variant> values = List.of(new Variant(raw, false));
        byte[][] encoded = null;
        String charset = "utf8";
        for (String t : transforms) {
            switch (t) {
                case "windash" -> {
                    Set<Variant> out = new LinkedHashSet<>();
                    for (Variant v : values) {
                        for (String dash : DASHES) {
                            out.add(new Variant(windash(v.text, dash), v.cased));
                        }
                    }
                    values = List.copyOf(out);
                }
                case "wide", "utf16le" -> charset = "utf16le";
                case "utf16be" -> charset = "utf16be";
                case "utf16" -> charset = "utf16";
                default -> {
                    List<Variant> out = new ArrayList<>();
                    for (Variant v : values) {
                        byte[] bytes = bytes(v.text, charset);
                        for (String b64 : t.equals("base64") ? List.of(Base64.getEncoder().encodeToString(bytes))
                                : base64Offsets(bytes)) {
                            out.add(new Variant(b64, true));
                        }
                    }
                    values = out;
                    charset = "utf8";
                }
            }
        }
        return values;
    }

    /** Replaces a dash or slash that starts an option ({@code -e}, {@code /c}) with {@code dash}. */
    private static String windash(String value, String dash) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean optionStart = (c == '-' || c == '/') && (i == 0 || value.charAt(i - 1) == ' ');
            b.append(optionStart ? dash : String.valueOf(c));
        }
        return b.toString();
    }

    private static byte[] bytes(String value, String charset) {
        return switch (charset) {
            case "utf16le" -> value.getBytes(StandardCharsets.UTF_16LE);
            case "utf16be" -> value.getBytes(StandardCharsets.UTF_16BE);
            case "utf16" -> concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, value.getBytes(StandardCharsets.UTF_16LE));
            default -> value.getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * The three base64 forms of {@code bytes} at offsets 0, 1 and 2 of a longer encoded text, without the
     * characters that depend on the neighbouring bytes (sigma-specification, {@code base64offset}).
     */
    private static List<String> base64Offsets(byte[] bytes) {
        int[] start = {0, 2, 3};
        int[] cutEnd = {0, 3, 2};
        List<String> out = new ArrayList<>(3);
        for (int offset = 0; offset < 3; offset++) {
            byte[] shifted = new byte[offset + bytes.length];
            System.arraycopy(bytes, 0, shifted, offset, bytes.length);
            String enc = Base64.getEncoder().encodeToString(shifted);
            int end = enc.length() - cutEnd[(bytes.length + offset) % 3];
            out.add(end > start[offset] ? enc.substring(start[offset], end) : "");
        }
        return out;
    }

    private static Pattern regex(String raw, int flags, int line) {
        try {
            return Pattern.compile(raw, flags);
        } catch (PatternSyntaxException e) {
            throw new RuleSyntaxException(line, "invalid regular expression '" + OneLine.of(raw, 60) + "': "
                    + OneLine.of(e.getDescription(), 80) + " at index " + e.getIndex());
        }
    }

    /** A text value with the match type's implied wildcards, as the cheapest predicate that does it. */
    private static ValuePredicate text(Variant v, String type, boolean cased, int line) {
        List<Object> tokens = tokens(v.text, cased);
        boolean lead = type.equals("contains") || type.equals("endswith");
        boolean trail = type.equals("contains") || type.equals("startswith");
        if (!tokens.isEmpty() && tokens.get(0) == Wild.ANY) {
            lead = true;
            tokens = tokens.subList(1, tokens.size());
        }
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1) == Wild.ANY) {
            trail = true;
            tokens = tokens.subList(0, tokens.size() - 1);
        }
        if (tokens.stream().noneMatch(t -> t instanceof Wild)) {
            StringBuilder literal = new StringBuilder();
            tokens.forEach(literal::append);
            ValuePredicate.Text.Mode mode = lead && trail ? ValuePredicate.Text.Mode.CONTAINS
                    : lead ? ValuePredicate.Text.Mode.ENDS_WITH : trail ? ValuePredicate.Text.Mode.STARTS_WITH
                    : ValuePredicate.Text.Mode.EQUALS;
            return new ValuePredicate.Text(mode, literal.toString(), cased);
        }
        StringBuilder regex = new StringBuilder(lead ? ".*" : "");
        for (Object t : tokens) {
            regex.append(t == Wild.ANY ? ".*" : t == Wild.ONE ? "." : Pattern.quote((String) t));
        }
        regex.append(trail ? ".*" : "");
        return new ValuePredicate.Glob(Pattern.compile(regex.toString(), Pattern.DOTALL), cased);
    }

    private enum Wild { ANY, ONE }

    /** Literal runs (lower case unless cased) and wildcards, with Sigma's escapes resolved. */
    private static List<Object> tokens(String value, boolean cased) {
        List<Object> out = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() && "*?\\".indexOf(value.charAt(i + 1)) >= 0) {
                run.append(value.charAt(i + 1));
                i++;
            } else if (c == '*' || c == '?') {
                if (run.length() > 0) {
                    out.add(cased ? run.toString() : run.toString().toLowerCase(Locale.ROOT));
                    run.setLength(0);
                }
                out.add(c == '*' ? Wild.ANY : Wild.ONE);
            } else {
                run.append(c);
            }
        }
        if (run.length() > 0) {
            out.add(cased ? run.toString() : run.toString().toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
