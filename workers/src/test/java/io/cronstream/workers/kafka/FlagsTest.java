package io.cronstream.workers.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagsTest {

    private static final Map<String, Integer> ARITY = Map.of("library", 2, "bootstrap", 1);

    @Test
    void readsFlagsWithOneOrSeveralValues() {
        Flags flags = Flags.parse(new String[] {"--library", "photos", "/srv/photos", "--bootstrap=kafka:9092"}, ARITY);

        assertThat(flags.values("library")).containsExactly("photos", "/srv/photos");
        assertThat(flags.value("bootstrap")).contains("kafka:9092");
        assertThat(flags.value("missing", "fallback")).isEqualTo("fallback");
        assertThat(flags.values("missing")).isEqualTo(List.of());
    }

    @Test
    void refusesTyposMissingValuesAndRepeats() {
        assertThatThrownBy(() -> Flags.parse(new String[] {"--bootstap", "x"}, ARITY)).hasMessageContaining("--bootstap");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--library", "photos"}, ARITY)).hasMessageContaining("2 value");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--bootstrap", "a", "--bootstrap", "b"}, ARITY))
                .hasMessageContaining("more than once");
        assertThatThrownBy(() -> Flags.parse(new String[] {"stray"}, ARITY)).hasMessageContaining("stray");
    }
}
