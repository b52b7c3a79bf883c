package io.cronstream.streams;

import io.cronstream.schemas.DeadLetter;

/**
 * What a Cronstream processor emits: a value for its output topic, or a dead letter for the
 * DLQ. {@link DeadLetters#route} splits a stream of these so bad input never blocks good input.
 */
public sealed interface Routed<T> {

    record Value<T>(T value) implements Routed<T> {
    }

    record Dead<T>(DeadLetter letter) implements Routed<T> {
    }

    static <T> Routed<T> value(T value) {
        return new Value<>(value);
    }

    static <T> Routed<T> dead(DeadLetter letter) {
        return new Dead<>(letter);
    }
}
