package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The merge {@code Router.page} does, without HTTP: instances each answer the first page of their part after
 * the cursor, the instance asked keeps the first {@code limit} of the union. Walking the cursors must give
 * the whole list in order, each item once, however it is spread and however small the pages.
 */
class PageCollectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Page.Order ORDER = new Page.Order(Comparator
            .comparing((JsonNode item) -> item.path("at").asLong()).reversed()
            .thenComparing(item -> item.path("id").asText()), List.of("at", "id"));

    @Property(tries = 200)
    void walkingTheCursorsOverInstancesGivesTheWholeListInOrder(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 9) Integer> times,
            @ForAll @IntRange(min = 1, max = 4) int instances,
            @ForAll @IntRange(min = 1, max = 7) int limit) {
        List<List<JsonNode>> parts = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            parts.add(new ArrayList<>());
        }
        List<JsonNode> all = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            JsonNode item = JSON.createObjectNode().put("id", "r" + i).put("at", times.get(i)).put("payload", i);
            parts.get(i % instances).add(item);
            all.add(item);
        }
        all.sort(ORDER.comparator());

        List<JsonNode> walked = new ArrayList<>();
        JsonNode after = null;
        for (int pages = 0; pages <= all.size() + 1; pages++) {
            ListBody<JsonNode> page = page(parts, new Page(limit, after));
            assertThat(page.count()).isLessThanOrEqualTo(limit);
            walked.addAll(page.items());
            if (page.next() == null) {
                break;
            }
            after = cursor(page.next());
        }
        assertThat(walked).containsExactlyElementsOf(all);
    }

    private static ListBody<JsonNode> page(List<List<JsonNode>> parts, Page page) {
        PageCollector asked = new PageCollector(page, ORDER);
        for (List<JsonNode> part : parts) {
            PageCollector instance = new PageCollector(page, ORDER);
            part.forEach(instance::offer);
            ListBody<JsonNode> answer = instance.body();
            // what travels: the instance's page as JSON, read back
            JSON.valueToTree(answer).path("items").forEach(asked::offer);
            if (answer.next() != null) {
                asked.moreElsewhere();
            }
        }
        return asked.body();
    }

    private static JsonNode cursor(String next) {
        try {
            return JSON.readTree(java.util.Base64.getUrlDecoder().decode(next));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
