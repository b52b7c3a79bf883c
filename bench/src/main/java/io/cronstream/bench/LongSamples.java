package io.cronstream.bench;

import java.util.Arrays;

/** A growable array of longs: millions of latency samples without boxing. Not thread-safe. */
final class LongSamples {

    private long[] values = new long[1024];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    void addAll(LongSamples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    int size() {
        return size;
    }

    Percentiles percentiles() {
        return Percentiles.of(values, size);
    }
}
