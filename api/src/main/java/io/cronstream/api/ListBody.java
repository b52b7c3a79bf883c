package io.cronstream.api;

import java.util.List;

/**
 * Every list answer: {@code {"items": [...], "count": N, "next": "<cursor>"|null}}; {@code next} is null
 * on the last page and on lists that are not paged (a job's history: at most 100 runs).
 */
public record ListBody<T>(List<T> items, int count, String next) {

    public static <T> ListBody<T> of(List<T> items) {
        return new ListBody<>(items, items.size(), null);
    }
}
