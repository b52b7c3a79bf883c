package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * One page of a list (DESIGN §7): {@code ?limit=} (default 100, at most 1000) and {@code ?cursor=}, the
 * opaque {@code next} of the previous page. A cursor is the sort key of the last item returned (base64url
 * JSON of the order's key fields), so the next page starts strictly after it, whatever was added or
 * removed meanwhile, and every instance can cut its own part without any shared state.
 *
 * @param after the key of the last item already seen; null on the first page
 */
record Page(int limit, JsonNode after) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** A list's order over its items, and the fields that name an item's place in it. */
    record Order(Comparator<JsonNode> comparator, List<String> keyFields) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static Page of(Context ctx) {
        return of(ctx.queryParam("cursor"), Params.integer(ctx, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT));
    }

    /** The page after {@code cursor} (null or empty: the first), of at most {@code limit} items. */
    static Page of(String cursor, int limit) {
        if (cursor == null || cursor.isEmpty()) {
            return new Page(limit, null);
        }
        try {
            JsonNode after = JSON.readTree(Base64.getUrlDecoder().decode(cursor));
            if (after == null || !after.isObject()) {
                throw new IOException("not an object");
            }
            return new Page(limit, after);
        } catch (IOException | IllegalArgumentException e) {
            throw ApiException.badRequest("cursor is not a cursor this API gave out: '" + Params.shorten(cursor) + "'");
        }
    }

    /** Whether {@code item} comes after the cursor in {@code order} (every item does on the first page). */
    boolean admits(JsonNode item, Order order) {
        return after == null || order.comparator().compare(item, after) > 0;
    }

    static String cursorOf(JsonNode item, Order order) {
        ObjectNode key = JSON.createObjectNode();
        order.keyFields().forEach(field -> key.set(field, item.path(field)));
        return cursor(key);
    }

    /** The cursor naming {@code key}, for a list whose order a store or a database query keeps. */
    static String cursor(JsonNode key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.toString().getBytes(StandardCharsets.UTF_8));
    }
}
