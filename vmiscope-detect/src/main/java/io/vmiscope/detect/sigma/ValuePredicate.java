package io.vmiscope.detect.sigma;

import java.util.regex.Pattern;

/**
 * One compiled value of a field test: how a field's value (and its lower-case copy, for Sigma's
 * case-insensitive default) is compared. Immutable and thread-safe.
 */
sealed interface ValuePredicate {

    boolean test(String value, String lower);

    /** Text comparisons without wildcards: the literal is lower case unless {@code cased}. */
    record Text(Mode mode, String literal, boolean cased) implements ValuePredicate {
        enum Mode { EQUALS, CONTAINS, STARTS_WITH, ENDS_WITH }

        @Override
        public boolean test(String value, String lower) {
            String v = cased ? value : lower;
            return switch (mode) {
                case EQUALS -> v.equals(literal);
                case CONTAINS -> v.contains(literal);
                case STARTS_WITH -> v.startsWith(literal);
                case ENDS_WITH -> v.endsWith(literal);
            };
        }
    }

    /** A value with wildcards inside: a regular expression that must match the whole value. */
    record Glob(Pattern pattern, boolean cased) implements ValuePredicate {
        @Override
        public boolean test(String value, String lower) {
            return pattern.matcher(cased ? value : lower).matches();
        }
    }

    /** {@code |re}: a regular expression found anywhere in the value, case-sensitive unless {@code |i}. */
    record Regex(Pattern pattern) implements ValuePredicate {
        @Override
        public boolean test(String value, String lower) {
            return pattern.matcher(value).find();
        }
    }

    /** {@code |lt}, {@code |lte}, {@code |gt}, {@code |gte}: the value read as a number. */
    record Numeric(String operator, double bound) implements ValuePredicate {
        @Override
        public boolean test(String value, String lower) {
            double v;
            try {
                v = Double.parseDouble(value.strip());
            } catch (NumberFormatException notANumber) {
                return false;
            }
            return switch (operator) {
                case "lt" -> v < bound;
                case "lte" -> v <= bound;
                case "gt" -> v > bound;
                default -> v >= bound;
            };
        }
    }

    /** {@code |cidr}: the value is an IP address inside the network. */
    record InNetwork(Cidr network) implements ValuePredicate {
        @Override
        public boolean test(String value, String lower) {
            return network.contains(value);
        }
    }

    /** A {@code null} value: the field is absent or empty. */
    record Empty() implements ValuePredicate {
        @Override
        public boolean test(String value, String lower) {
            return value.isEmpty();
        }
    }
}
