package io.vmiscope.store.imports;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of one field of a parsed record. A missing or {@code null} field is "absent"; a present
 * field of the wrong type is a {@link RecordException}. Integers may be JSON numbers or text, decimal
 * or {@code 0x} hex (DRAKVUF prints handles and statuses as hex strings, its text format everything as text).
 */
final class Fields {

    private static final Pattern DECIMAL = Pattern.compile("[-+]?\\d{1,19}");
    private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F]{1,16}");
    private static final Pattern TIMESTAMP = Pattern.compile("(\\d{1,19})(?:\\.(\\d{1,9}))?");
    private static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

    private Fields() {
    }

    static boolean present(JsonNode record, String key) {
        JsonNode v = record.get(key);
        return v != null && !v.isNull();
    }

    static OptionalLong integer(JsonNode record, String key) {
        JsonNode v = record.get(key);
        if (v == null || v.isNull()) {
            return OptionalLong.empty();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return OptionalLong.of(v.longValue());
        }
        if (v.isTextual()) {
            String s = v.textValue().strip();
            try {
                if (DECIMAL.matcher(s).matches()) {
                    return OptionalLong.of(Long.parseLong(s));
                }
                if (HEX.matcher(s).matches()) {
                    return OptionalLong.of(Long.parseUnsignedLong(s.substring(2), 16));
                }
            } catch (NumberFormatException e) {
                throw new RecordException(key + " is out of range");
            }
        }
        throw new RecordException(key + " is not an integer");
    }

    /** An integer field, or empty when it is absent or not a number (for fields where text is a legal value). */
    static OptionalLong lenientInteger(JsonNode record, String key) {
        try {
            return integer(record, key);
        } catch (RecordException e) {
            return OptionalLong.empty();
        }
    }

    /** A 32-bit integer field (a pid, say), or {@code absent}. */
    static int int32(JsonNode record, String key, int absent) {
        OptionalLong v = integer(record, key);
        if (v.isEmpty()) {
            return absent;
        }
        long value = v.getAsLong();
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new RecordException(key + " is out of range: " + value);
        }
        return (int) value;
    }

    /** A text field ({@code ""} when absent); numbers and booleans as their JSON text; lists and objects are wrong. */
    static String text(JsonNode record, String key) {
        JsonNode v = record.get(key);
        if (v == null || v.isNull()) {
            return "";
        }
        if (v.isContainerNode()) {
            throw new RecordException(key + " is not a scalar value");
        }
        return v.asText();
    }

    /** Any value as display text: scalars as themselves, lists and objects as their JSON. */
    static String display(JsonNode v) {
        return v.isContainerNode() ? v.toString() : v.asText();
    }

    /**
     * DRAKVUF's {@code "<sec>.<usec>"} (or Volatility's epoch seconds) as nanoseconds since the epoch. The
     * fraction is read as a decimal fraction of a second, so {@code "5.000001"} is 5 s + 1 µs.
     */
    static long epochNanos(JsonNode v, String key) {
        String s = null;
        if (v.isNumber()) {
            BigDecimal d = v.decimalValue();
            // toPlainString() of 1E+999999999 would be a billion digits: check the size first.
            if (d.scale() <= 9 && d.precision() - d.scale() <= 19) {
                s = d.toPlainString();
            }
        } else if (v.isTextual()) {
            s = v.textValue().strip();
        }
        Matcher m = s == null ? null : TIMESTAMP.matcher(s);
        if (m == null || !m.matches()) {
            throw new RecordException(key + " is not <seconds>.<fraction>");
        }
        long seconds;
        try {
            seconds = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new RecordException(key + " is out of range");
        }
        if (seconds >= MAX_SECONDS) {
            throw new RecordException(key + " is out of range");
        }
        String fraction = m.group(2) == null ? "" : m.group(2);
        long nanos = fraction.isEmpty() ? 0 : Long.parseLong((fraction + "00000000").substring(0, 9));
        return seconds * 1_000_000_000L + nanos;
    }
}
