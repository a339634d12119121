package io.vmiscope.web;

import io.vmiscope.events.ActionSpec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

/** JSON request bodies read and checked: a bad one is a 400 naming what is wrong. */
final class Bodies {

    /** The largest body accepted. */
    static final int MAX_BYTES = 16 * 1024;
    /** The longest string value accepted. */
    static final int MAX_STRING = 300;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Bodies() {
    }

    static JsonNode json(Context ctx) {
        String body = ctx.body();
        if (body.length() > MAX_BYTES) {
            throw ApiException.badRequest("the request body is larger than " + MAX_BYTES + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(body.isBlank() ? "{}" : body);
            if (!node.isObject()) {
                throw ApiException.badRequest("the request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not JSON: " + e.getOriginalMessage());
        }
    }

    static String optionalString(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().length() > MAX_STRING) {
            throw ApiException.badRequest("'" + name + "' must be a string of at most " + MAX_STRING + " characters");
        }
        return value.asText().isBlank() ? null : value.asText();
    }

    static String string(JsonNode body, String name) {
        String value = optionalString(body, name);
        if (value == null) {
            throw ApiException.badRequest("'" + name + "' is required");
        }
        return value;
    }

    static Integer optionalInt(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw ApiException.badRequest("'" + name + "' must be a whole number");
        }
        return value.asInt();
    }

    /** A required action spec, as {@link ActionSpec#parse} reads it; its one-line error as a 400. */
    static ActionSpec spec(JsonNode body, String name) {
        return spec(string(body, name));
    }

    /** A list of action specs; each one's error as a 400. */
    static List<ActionSpec> specs(JsonNode body, String name, int max) {
        return strings(body, name, max).stream().map(Bodies::spec).toList();
    }

    private static ActionSpec spec(String text) {
        try {
            return ActionSpec.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static List<String> strings(JsonNode body, String name, int max) {
        JsonNode value = body.get(name);
        if (value == null || !value.isArray() || value.size() > max) {
            throw ApiException.badRequest("'" + name + "' must be a list of at most " + max + " strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > MAX_STRING) {
                throw ApiException.badRequest("'" + name + "' must hold non-empty strings of at most " + MAX_STRING
                        + " characters");
            }
            out.add(item.asText().trim());
        }
        return out;
    }
}
