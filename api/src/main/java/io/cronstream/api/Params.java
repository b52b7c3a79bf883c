package io.cronstream.api;

import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Locale;

/** Reads and checks path and query parameters; anything off is a 400 that says what was expected. */
final class Params {

    /** The topologies refuse longer ids, so no stored key is longer. */
    static final int MAX_ID_LENGTH = 512;

    private Params() {
    }

    static String id(Context ctx, String name) {
        String id = ctx.pathParam(name);
        if (id.isBlank()) {
            throw ApiException.badRequest(name + " must not be blank");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw ApiException.badRequest(name + " is longer than " + MAX_ID_LENGTH + " characters");
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest(name + " contains control characters");
        }
        return id;
    }

    static int integer(Context ctx, String name, int min, int max, int fallback) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the one message for both cases
        }
        throw ApiException.badRequest(name + " must be a whole number from " + min + " to " + max + ", got '"
                + shorten(text) + "'");
    }

    static Boolean bool(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest(name + " must be true or false, got '" + shorten(text) + "'");
        };
    }

    static <E extends Enum<E>> E enumValue(Context ctx, String name, Class<E> type) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + " must be one of " + Arrays.toString(type.getEnumConstants())
                    + ", got '" + shorten(text) + "'");
        }
    }

    /** Echoing input back is useful up to a point; a 10 KB value is not. */
    static String shorten(String text) {
        String visible = text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return visible.length() > 60 ? visible.substring(0, 60) + "…" : visible;
    }
}
