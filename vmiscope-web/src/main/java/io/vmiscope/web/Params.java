package io.vmiscope.web;

import io.javalin.http.Context;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Query parameters read and checked: a bad value is a 400 naming the parameter, never a stack trace. */
final class Params {

    /** Longest text filter accepted. */
    static final int MAX_TEXT = 200;

    private Params() {
    }

    static Long optionalLong(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be a whole number, not '" + cap(value) + "'");
        }
    }

    static Integer optionalInt(Context ctx, String name, int min, int max) {
        Long value = optionalLong(ctx, name);
        if (value == null) {
            return null;
        }
        if (value < min || value > max) {
            throw ApiException.badRequest("'" + name + "' must be " + min + " to " + max + ", not " + value);
        }
        return value.intValue();
    }

    static int intOr(Context ctx, String name, int fallback, int min, int max) {
        Integer value = optionalInt(ctx, name, min, max);
        return value == null ? fallback : value;
    }

    /** A comma-separated list, blanks dropped. */
    static Set<String> list(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return Set.of();
        }
        if (value.length() > MAX_TEXT) {
            throw ApiException.badRequest("'" + name + "' is longer than " + MAX_TEXT + " characters");
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    static String text(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value != null && value.length() > MAX_TEXT) {
            throw ApiException.badRequest("'" + name + "' is longer than " + MAX_TEXT + " characters");
        }
        return value == null || value.isBlank() ? null : value;
    }

    /** A value for a message: at most 40 characters. */
    static String cap(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
