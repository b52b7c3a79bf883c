package io.cronstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class TextBudgetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 2_000)
    void jsonBytesBoundsWhatJacksonWrites(@ForAll @StringLength(max = 300) String text) throws Exception {
        assertThat(JSON.writeValueAsString(text).getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(TextBudget.jsonBytes(text));
    }

    @Property(tries = 2_000)
    void fitKeepsWithinTheBoundAndSaysItCut(@ForAll @StringLength(max = 500) String text,
            @ForAll @IntRange(min = 64, max = 2_000) int maxBytes) {
        String fitted = TextBudget.fit(text, maxBytes);
        assertThat(TextBudget.jsonBytes(fitted)).isLessThanOrEqualTo(maxBytes);
        if (!fitted.equals(text)) {
            assertThat(fitted).endsWith(TextBudget.SUFFIX);
            assertThat(text).startsWith(fitted.substring(0, fitted.length() - TextBudget.SUFFIX.length()));
            String head = fitted.substring(0, fitted.length() - TextBudget.SUFFIX.length());
            assertThat(head.isEmpty() || !Character.isHighSurrogate(head.charAt(head.length() - 1))
                    || text.length() == head.length()).as("no pair split").isTrue();
        }
    }

    @Property(tries = 1_000)
    void fitAllKeepsTheSumWithinTheBudgetAndShortTextsWhole(
            @ForAll @Size(max = 40) List<@StringLength(max = 400) String> texts,
            @ForAll @IntRange(min = 64 * 40, max = 20_000) int budget) {
        List<String> fitted = TextBudget.fitAll(texts, budget);
        assertThat(fitted).hasSameSizeAs(texts);
        assertThat(fitted.stream().mapToLong(TextBudget::jsonBytes).sum()).isLessThanOrEqualTo(budget);
        int shortest = texts.stream().mapToInt(TextBudget::jsonBytes).min().orElse(0);
        for (int i = 0; i < texts.size(); i++) {
            if (TextBudget.jsonBytes(texts.get(i)) == shortest && (long) shortest * texts.size() <= budget) {
                assertThat(fitted.get(i)).isEqualTo(texts.get(i));
            }
        }
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        String emoji = "\uD83D\uDE00".repeat(100);
        String fitted = TextBudget.fit(emoji, 100);
        String head = fitted.substring(0, fitted.length() - TextBudget.SUFFIX.length());
        assertThat(head.length() % 2).isZero();
        assertThat(TextBudget.jsonBytes(fitted)).isLessThanOrEqualTo(100);
    }
}
