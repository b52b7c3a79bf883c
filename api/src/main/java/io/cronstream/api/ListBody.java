package io.cronstream.api;

import java.util.List;

/** Every list answer: {@code {"items": [...], "count": N}}. */
public record ListBody<T>(List<T> items, int count) {

    public static <T> ListBody<T> of(List<T> items) {
        return new ListBody<>(items, items.size());
    }
}
