package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Interactive-query routing: a key is answered by the instance that owns it, a list page is gathered
 * from every instance. A request that was already forwarded is answered here or refused with
 * 503, so a request never travels more than one hop, even while ownership moves.
 */
public final class Router {

    private final Cluster cluster;
    private final Peers peers;
    private final ObjectMapper mapper;

    public Router(Cluster cluster, Peers peers, ObjectMapper mapper) {
        this.cluster = cluster;
        this.peers = peers;
        this.mapper = mapper;
    }

    /** Runs {@code local} with the key's partition when this instance owns it; otherwise relays the owner's answer. */
    public void atOwner(Context ctx, String store, String key, IntConsumer local) {
        Cluster.Owner owner = cluster.owner(store, key);
        if (owner.local()) {
            local.accept(owner.partition());
        } else if (forwarded(ctx)) {
            throw movedAway();
        } else {
            peers.forward(owner.host(), ctx).writeTo(ctx);
        }
    }

    /** Whether {@code key} is in {@code store}, asking its owner with {@code GET path} (200 or 404) when that is not us. */
    public boolean exists(String store, String key, String path, IntPredicate local) {
        Cluster.Owner owner = cluster.owner(store, key);
        if (owner.local()) {
            return local.test(owner.partition());
        }
        Peers.Reply reply = Peers.await(owner.host(), peers.get(owner.host(), path));
        return switch (reply.status()) {
            case 200 -> true;
            case 404 -> false;
            default -> throw unanswered(owner.host(), reply);
        };
    }

    /**
     * The owner's view of {@code key}: {@code local} with the partition when that is us, else the owner's
     * answer to {@code GET path} (200 → its JSON, 404 → empty); 503 while it cannot be known.
     */
    public Optional<JsonNode> lookup(String store, String key, String path, IntFunction<Optional<JsonNode>> local) {
        Cluster.Owner owner = cluster.owner(store, key);
        if (owner.local()) {
            return local.apply(owner.partition());
        }
        Peers.Reply reply = Peers.await(owner.host(), peers.get(owner.host(), path));
        if (reply.status() == 404) {
            return Optional.empty();
        }
        if (reply.status() != 200) {
            throw unanswered(owner.host(), reply);
        }
        try {
            return Optional.of(mapper.readTree(reply.body()));
        } catch (IOException e) {
            throw unanswered(owner.host(), reply);
        }
    }

    /**
     * One page of a list over every instance that holds part of {@code store}: each answers the first
     * {@code page.limit()} items after the cursor of its own part (with {@code next} when it had more), and
     * this instance keeps the first {@code limit} of their union. The union of each part's first page holds
     * the first page of the whole, so the pages of the whole follow each other without gaps or repeats.
     * Memory is bounded by the page times the number of instances. All or nothing: a missing part would be a wrong page, so it is a 503.
     *
     * @param local feeds this instance's items, in any order, to the consumer it is given
     */
    public ListBody<JsonNode> page(Context ctx, String store, Page page, Page.Order order,
            Consumer<Consumer<Object>> local) {
        PageCollector collector = new PageCollector(page, order);
        if (forwarded(ctx)) {
            feedLocal(local, collector);
            return collector.body();
        }
        String pathAndQuery = Peers.pathAndQuery(ctx);
        Map<HostInfo, CompletableFuture<Peers.Reply>> remote = new LinkedHashMap<>();
        boolean includesSelf = false;
        for (HostInfo host : cluster.hosts(store)) {
            if (host.equals(cluster.self())) {
                includesSelf = true;
            } else {
                remote.put(host, peers.get(host, pathAndQuery));
            }
        }
        if (includesSelf) {
            feedLocal(local, collector);
        }
        remote.forEach((host, future) -> {
            JsonNode body = bodyOf(host, Peers.await(host, future));
            body.path("items").forEach(collector::offer);
            if (body.hasNonNull("next")) {
                collector.moreElsewhere();
            }
        });
        return collector.body();
    }

    private void feedLocal(Consumer<Consumer<Object>> local, PageCollector collector) {
        if (!cluster.running()) {
            throw ApiException.unavailable("this instance is " + cluster.state() + ": its part of the list may be incomplete");
        }
        local.accept(item -> collector.offer(mapper.valueToTree(item)));
    }

    private JsonNode bodyOf(HostInfo host, Peers.Reply reply) {
        if (reply.status() != 200) {
            throw unanswered(host, reply);
        }
        try {
            JsonNode body = mapper.readTree(reply.body());
            if (body == null || !body.path("items").isArray()) {
                throw unanswered(host, reply);
            }
            return body;
        } catch (IOException e) {
            throw unanswered(host, reply);
        }
    }

    private static boolean forwarded(Context ctx) {
        return ctx.header(Peers.FORWARDED) != null;
    }

    private ApiException movedAway() {
        return ApiException.unavailable("this instance no longer owns the key (" + cluster.state() + ")");
    }

    private static ApiException unanswered(HostInfo host, Peers.Reply reply) {
        return ApiException.unavailable("instance " + host.host() + ":" + host.port() + " answered " + reply.status());
    }
}
