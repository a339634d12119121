package io.vmiscope.store.imports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every JSON value of a text, read with Jackson's streaming parser so that nothing after the first value
 * goes unseen: a line may hold several records, and anything on it that is not a complete value (trailing
 * garbage, a truncated second record) makes the whole text fail with a {@link RecordException} naming the
 * line and column. The one place where the importers split text into JSON values. Immutable and
 * thread-safe.
 */
final class JsonValues {

    /**
     * One value and where it starts.
     *
     * @param line   1-based line of the text the value starts on
     * @param column 1-based column there
     * @param start  offset of its first character in the text
     * @param end    offset just after its last character
     */
    record Value(JsonNode node, int line, int column, int start, int end) {

        /** The value's own text, cut from the text it was read from. */
        String text(String source) {
            return source.substring(start, end);
        }
    }

    /** Jackson's pointer to where an unclosed value began, with a redacted source: noise in a reason. */
    private static final Pattern START_MARKER = Pattern.compile(" \\(start marker at \\[Source: .*?\\]\\)");

    private final ObjectMapper json;

    /**
     * @param floatsAsDecimals keep floating-point numbers exact ({@link java.math.BigDecimal}) instead of as doubles
     */
    JsonValues(ImportLimits limits, boolean floatsAsDecimals) {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxNestingDepth()).build()).build();
        ObjectMapper mapper = new ObjectMapper(factory);
        this.json = floatsAsDecimals ? mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) : mapper;
    }

    /** The mapper the values are read with, for turning them into maps. */
    ObjectMapper mapper() {
        return json;
    }

    /**
     * The JSON objects of {@code text}, in order (none for a blank text).
     *
     * @throws RecordException naming the column (and {@link RecordException#lineInText() line}) when anything in
     *                         it is not a complete JSON object
     */
    List<Value> objects(String text) {
        return read(text, p -> {
            List<Value> values = new ArrayList<>(1);
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                JsonLocation at = p.currentTokenLocation();
                if (token != JsonToken.START_OBJECT) {
                    throw failure(at, describe(token) + ", not a JSON object");
                }
                values.add(value(p, at));
            }
            return values;
        });
    }

    /**
     * The elements of the one JSON list that {@code text} holds: a document such as Volatility's JSON output.
     *
     * @throws RecordException naming the line and column when the text is not one list, or anything follows it;
     *                         a bad element is the caller's to judge
     */
    List<Value> elementsOfOneList(String text) {
        return read(text, p -> {
            JsonToken token = p.nextToken();
            if (token != JsonToken.START_ARRAY) {
                throw failure(p.currentTokenLocation(), token == null ? "no JSON value"
                        : describe(token) + ", not a list of rows");
            }
            List<Value> values = new ArrayList<>();
            while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
                values.add(value(p, p.currentTokenLocation()));
            }
            if ((token = p.nextToken()) != null) {
                throw failure(p.currentTokenLocation(), describe(token) + " after the end of the list");
            }
            return values;
        });
    }

    @FunctionalInterface
    private interface Reading {
        List<Value> read(JsonParser parser) throws IOException;
    }

    private List<Value> read(String text, Reading reading) {
        JsonParser p;
        try {
            p = json.createParser(text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read JSON from a string", e);
        }
        try (p) {
            return reading.read(p);
        } catch (JsonProcessingException e) {
            throw failure(e.getLocation(), "not JSON: " + START_MARKER.matcher(e.getOriginalMessage()).replaceAll(""));
        } catch (NumberFormatException e) {
            throw failure(p.currentLocation(), "not JSON: a number out of range");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read JSON from a string", e);
        }
    }

    private Value value(JsonParser p, JsonLocation at) throws IOException {
        JsonNode node = json.readTree(p);
        return new Value(node, at.getLineNr(), at.getColumnNr(), (int) at.getCharOffset(),
                (int) p.currentLocation().getCharOffset());
    }

    private static RecordException failure(JsonLocation at, String reason) {
        int line = at == null ? 1 : Math.max(1, at.getLineNr());
        int column = at == null ? 1 : Math.max(1, at.getColumnNr());
        return new RecordException(line, "column " + column + ": " + reason);
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "'" + token.asString() + "'";
        };
    }
}
