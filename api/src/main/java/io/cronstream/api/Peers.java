package io.cronstream.api;

import io.javalin.http.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.streams.state.HostInfo;

/** HTTP to the other instances of the application, with a short timeout: a slow peer becomes a 503, not a hang. */
public final class Peers {

    /** Marks a request one instance sent another: the receiver answers from its own stores or says 503, never forwards again. */
    public static final String FORWARDED = "X-Cronstream-Forwarded";

    /** Request headers a forwarded request keeps; the token travels so the owner can check it itself. */
    private static final List<String> KEPT_HEADERS = List.of("Authorization", "Content-Type", "Accept", "If-Match",
            TriggerRoute.IDEMPOTENCY_KEY);

    private final HttpClient http;
    private final Duration timeout;
    private final String self;
    private final PeerAuth auth;

    Peers(Duration timeout, HostInfo self, PeerAuth auth) {
        this.timeout = timeout;
        this.auth = auth;
        this.self = self.host() + ":" + self.port();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** One peer's answer, relayed as it came. */
    public record Reply(int status, byte[] body, String contentType, String retryAfter, String etag) {

        public void writeTo(Context ctx) {
            ctx.status(status).result(body);
            if (contentType != null) {
                ctx.contentType(contentType);
            }
            if (etag != null) {
                ctx.header("ETag", etag);
            }
            if (retryAfter != null) {
                ctx.header("Retry-After", retryAfter);
            }
        }
    }

    /** {@code GET pathAndQuery} on {@code host}, answered from its own stores. */
    public CompletableFuture<Reply> get(HostInfo host, String pathAndQuery) {
        return send(host, request(host, "GET", pathAndQuery, new byte[0]).GET());
    }

    /** The request {@code ctx} is handling, sent to {@code host} with its method, body and kept headers. */
    public Reply forward(HostInfo host, Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        HttpRequest.Builder request = request(host, ctx.method().name(), pathAndQuery(ctx), body);
        for (String name : KEPT_HEADERS) {
            String value = ctx.header(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        request.method(ctx.method().name(), body.length == 0
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return await(host, send(host, request));
    }

    /** The path and query of the request as the client sent them, made safe for {@link URI}. */
    public static String pathAndQuery(Context ctx) {
        String query = ctx.queryString();
        return UriText.safe(ctx.req().getRequestURI()) + (query == null || query.isEmpty() ? "" : "?" + UriText.safe(query));
    }

    public static Reply await(HostInfo host, CompletableFuture<Reply> reply) {
        try {
            return reply.join();
        } catch (CompletionException e) {
            throw ApiException.unavailable("instance " + host.host() + ":" + host.port() + " did not answer");
        }
    }

    private HttpRequest.Builder request(HostInfo host, String method, String pathAndQuery, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                .timeout(timeout)
                .header(FORWARDED, self);
        auth.sign(method, pathAndQuery, body).forEach(request::header);
        return request;
    }

    private CompletableFuture<Reply> send(HostInfo host, HttpRequest.Builder request) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> new Reply(response.statusCode(), response.body(),
                        response.headers().firstValue("Content-Type").orElse(null),
                        response.headers().firstValue("Retry-After").orElse(null),
                        response.headers().firstValue("ETag").orElse(null)));
    }

    /** Percent-encoding for text that reached us raw but that {@link URI} refuses (spaces, non-ASCII, lone %). */
    static final class UriText {

        private static final String ALLOWED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                + "-._~!$&'()*+,;=:@/?";
        private static final String HEX = "0123456789ABCDEF";

        private UriText() {
        }

        static String safe(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            StringBuilder out = new StringBuilder(bytes.length);
            for (int i = 0; i < bytes.length; i++) {
                byte b = bytes[i];
                boolean keep = b >= 0 && (ALLOWED.indexOf(b) >= 0 || b == '%' && hex(bytes, i + 1) && hex(bytes, i + 2));
                if (keep) {
                    out.append((char) b);
                } else {
                    out.append('%').append(HEX.charAt((b >> 4) & 0xf)).append(HEX.charAt(b & 0xf));
                }
            }
            return out.toString();
        }

        private static boolean hex(byte[] bytes, int i) {
            return i < bytes.length && Character.digit(bytes[i], 16) >= 0;
        }
    }
}
