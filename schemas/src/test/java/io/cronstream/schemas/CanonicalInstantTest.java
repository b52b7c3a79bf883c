package io.cronstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.IntRange;

/** The fast path reads every instant as {@code Instant.parse} does, and nothing it would read otherwise. */
class CanonicalInstantTest {

    /** Year 0 to 9999, any nanosecond: what {@code Instant.toString()} writes reads back as itself. */
    @Property(tries = 5000)
    void readsWhatInstantWrites(@ForAll @LongRange(min = -62_167_219_200L, max = 253_402_300_799L) long seconds,
            @ForAll("nanos") int nanos) {
        Instant instant = Instant.ofEpochSecond(seconds, nanos);
        assertThat(CanonicalInstant.parse(instant.toString())).isEqualTo(instant);
    }

    /** Written as {@code Instant.toString()} writes it, for every year it covers; other years are left to it. */
    @Property(tries = 5000)
    void writesWhatInstantWrites(@ForAll @LongRange(min = -70_000_000_000L, max = 260_000_000_000L) long seconds,
            @ForAll("nanos") int nanos) {
        Instant instant = Instant.ofEpochSecond(seconds, nanos);
        String fast = CanonicalInstant.format(instant);
        if (fast != null) {
            assertThat(fast).isEqualTo(instant.toString());
        }
        assertThat(Json.mapper().valueToTree(instant).asText()).isEqualTo(instant.toString());
    }

    /** Near-canonical text (any character in any place, fractions of any length): never a different answer. */
    @Property(tries = 20000)
    void answersAsInstantParseOrLeavesItToIt(@ForAll("nearlyCanonical") String text) {
        Instant fast = CanonicalInstant.parse(text);
        Instant slow;
        try {
            slow = Instant.parse(text);
        } catch (DateTimeParseException refused) {
            slow = null;
        }
        if (fast != null) {
            assertThat(fast).as(text).isEqualTo(slow);
        }
    }

    @Provide
    Arbitrary<Integer> nanos() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 999_999_999),
                Arbitraries.integers().between(0, 999).map(millis -> millis * 1_000_000), Arbitraries.just(0));
    }

    @Provide
    Arbitrary<String> nearlyCanonical() {
        Arbitrary<Character> digitOrNot = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, Arbitraries.chars().range('0', '9')),
                net.jqwik.api.Tuple.of(1, Arbitraries.of('-', ':', 'T', 'Z', '.', ' ', '+', 'a', '٣')));
        Arbitrary<String> fraction = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(3, Arbitraries.strings().withCharRange('0', '9').ofMinLength(0).ofMaxLength(11)
                        .map(digits -> "." + digits)));
        Arbitrary<String> template = Arbitraries.of("dddd-dd-ddTdd:dd:dd", "dddd-dd-ddTdd:dd:dd", "dddd-dd-dd dd:dd:dd",
                "ddddd-dd-ddTdd:dd:dd");
        return Combinators.combine(template, digitOrNot.list().ofSize(20), fraction,
                Arbitraries.of("Z", "Z", "z", "+00:00", ""))
                .as((shape, fill, frac, zone) -> {
                    StringBuilder out = new StringBuilder();
                    for (int i = 0; i < shape.length(); i++) {
                        out.append(shape.charAt(i) == 'd' ? fill.get(i % fill.size()) : shape.charAt(i));
                    }
                    return out + frac + zone;
                });
    }
}
