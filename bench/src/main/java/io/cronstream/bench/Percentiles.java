package io.cronstream.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample; the sample is copied and sorted once. */
record Percentiles(long count, long p50, long p99, long max) {

    static Percentiles of(long[] values, int length) {
        if (length == 0) {
            return new Percentiles(0, 0, 0, 0);
        }
        long[] sorted = Arrays.copyOf(values, length);
        Arrays.sort(sorted);
        return new Percentiles(length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[length - 1]);
    }

    static Percentiles of(long[] values) {
        return of(values, values.length);
    }

    private static long rank(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
