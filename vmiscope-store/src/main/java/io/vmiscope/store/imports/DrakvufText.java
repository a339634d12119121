package io.vmiscope.store.imports;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * DRAKVUF's default text format, turned into the record its JSON format would give:
 *
 * <pre>
 *   [PROCMON] TIME:1700000000.000123 VCPU:0 CR3:0x1AB000 "explorer.exe":NtCreateUserProcess SessionID:1
 *       PID:2044 PPID:1980 NewPid:3120 CommandLine:"cmd.exe /c dir"          (one line)
 *   → {"Plugin":"procmon","TimeStamp":"1700000000.000123","VCPU":"0","CR3":"0x1AB000","ProcessName":"explorer.exe",
 *      "Method":"NtCreateUserProcess","UserName":"SessionID","UserId":"1","PID":"2044","PPID":"1980","NewPid":"3120",
 *      "CommandLine":"cmd.exe /c dir"}
 * </pre>
 *
 * Every value stays text (typed reads accept numeric text). A value is quoted when it starts with
 * {@code "}; a quoted value ends at a {@code "} followed by a space or the end of the line. A bare word
 * without {@code key:} continues the previous value (DRAKVUF does not quote every value with spaces).
 */
final class DrakvufText {

    private static final Pattern PLUGIN = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DrakvufText() {
    }

    static ObjectNode parse(String line) {
        int close = line.indexOf(']');
        if (!line.startsWith("[") || close < 0 || !PLUGIN.matcher(line.substring(1, close)).matches()) {
            throw new RecordException("text line does not start with [PLUGIN]");
        }
        Map<String, StringBuilder> fields = new LinkedHashMap<>();
        put(fields, "Plugin", line.substring(1, close).toLowerCase(Locale.ROOT));
        String lastKey = null;
        int i = close + 1;
        int n = line.length();
        while (i < n) {
            if (line.charAt(i) == ' ') {
                i++;
                continue;
            }
            if (line.charAt(i) == '"') {
                int end = line.indexOf("\":", i + 1);
                if (end < 0) {
                    throw new RecordException("unterminated process name in text line");
                }
                put(fields, "ProcessName", line.substring(i + 1, end));
                Value method = value(line, end + 2);
                lastKey = put(fields, "Method", method.text());
                i = method.end();
                continue;
            }
            int wordEnd = wordEnd(line, i);
            int colon = i;
            while (colon < wordEnd && line.charAt(colon) != ':') {
                colon++;
            }
            if (colon == wordEnd || colon == i) {
                if (lastKey == null) {
                    throw new RecordException("text line has a word without key: before any field");
                }
                fields.get(lastKey).append(' ').append(line, i, wordEnd);
                i = wordEnd;
                continue;
            }
            Value value = value(line, colon + 1);
            lastKey = put(fields, line.substring(i, colon), value.text());
            i = value.end();
        }
        ObjectNode record = NODES.objectNode();
        fields.forEach((key, value) -> record.put(key, value.toString()));
        return record;
    }

    /** Stores one field under its JSON name; returns that name. */
    private static String put(Map<String, StringBuilder> fields, String key, String value) {
        String name = switch (key) {
            case "TIME" -> "TimeStamp";
            case "SessionID", "UID" -> {
                fields.put("UserName", new StringBuilder(key));
                yield "UserId";
            }
            default -> key;
        };
        fields.put(name, new StringBuilder(value));
        return name;
    }

    private record Value(String text, int end) {
    }

    private static Value value(String line, int start) {
        if (start < line.length() && line.charAt(start) == '"') {
            int from = start + 1;
            int quote = line.indexOf('"', from);
            while (quote >= 0 && quote + 1 < line.length() && line.charAt(quote + 1) != ' ') {
                quote = line.indexOf('"', quote + 1);
            }
            if (quote < 0) {
                return new Value(line.substring(from), line.length());
            }
            return new Value(line.substring(from, quote), quote + 1);
        }
        int end = wordEnd(line, start);
        return new Value(line.substring(start, end), end);
    }

    private static int wordEnd(String line, int start) {
        int space = line.indexOf(' ', start);
        return space < 0 ? line.length() : space;
    }
}
