package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Keeps the first {@code limit} items after the cursor of whatever it is offered, in any order: memory is
 * bounded by the page, however many items are offered. Whether anything was left out decides {@code next}.
 */
final class PageCollector {

    private final Page page;
    private final Page.Order order;
    /** The worst kept item on top, so it is the one a better item replaces. */
    private final PriorityQueue<JsonNode> kept;
    private boolean more;

    PageCollector(Page page, Page.Order order) {
        this.page = page;
        this.order = order;
        this.kept = new PriorityQueue<>(page.limit() + 1, order.comparator().reversed());
    }

    void offer(JsonNode item) {
        if (!page.admits(item, order)) {
            return;
        }
        kept.add(item);
        if (kept.size() > page.limit()) {
            kept.poll();
            more = true;
        }
    }

    /** Another part of the list (an instance) had more after its page. */
    void moreElsewhere() {
        more = true;
    }

    ListBody<JsonNode> body() {
        List<JsonNode> items = new ArrayList<>(kept);
        items.sort(order.comparator());
        String next = more && !items.isEmpty() ? Page.cursorOf(items.get(items.size() - 1), order) : null;
        return new ListBody<>(items, items.size(), next);
    }
}
