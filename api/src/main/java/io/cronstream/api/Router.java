package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Interactive-query routing: a key is answered by the instance that owns it, a list is gathered
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
     * The {@code items} of this request from every instance that holds part of {@code store}, this
     * one's from {@code local}. All or nothing: a missing part would be a wrong list, so it is a 503.
     */
    public List<JsonNode> gather(Context ctx, String store, Supplier<List<?>> local) {
        if (forwarded(ctx)) {
            return localItems(local);
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
        List<JsonNode> items = new ArrayList<>(includesSelf ? localItems(local) : List.of());
        remote.forEach((host, future) -> items.addAll(itemsOf(host, Peers.await(host, future))));
        return items;
    }

    private List<JsonNode> localItems(Supplier<List<?>> local) {
        if (!cluster.running()) {
            throw ApiException.unavailable("this instance is " + cluster.state() + ": its part of the list may be incomplete");
        }
        return local.get().stream().map(item -> (JsonNode) mapper.valueToTree(item)).toList();
    }

    private List<JsonNode> itemsOf(HostInfo host, Peers.Reply reply) {
        if (reply.status() != 200) {
            throw unanswered(host, reply);
        }
        try {
            JsonNode items = mapper.readTree(reply.body()).path("items");
            if (!items.isArray()) {
                throw unanswered(host, reply);
            }
            List<JsonNode> list = new ArrayList<>(items.size());
            items.forEach(list::add);
            return list;
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
