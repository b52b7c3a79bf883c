package io.cronstream.api;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may do what (DESIGN §11): bearer tokens carry a role. In production mode every {@code /api/v1}
 * read needs at least a viewer token (payloads can hold secrets); in dev mode reads are open and the
 * dev token is an admin. Every token is compared in constant time ({@link BearerToken}), all of them
 * every time, so the answer's timing does not tell which entry nearly matched.
 */
final class Access {

    /** Who made a request: the token's name and role. */
    record Principal(String name, Role role) {
    }

    private record Entry(String name, Role role, BearerToken token) {
    }

    private final List<Entry> entries;
    private final ApiSettings.Mode mode;
    private final Set<String> servedHosts;

    Access(ApiSettings settings) {
        List<Entry> all = new ArrayList<>();
        settings.token().ifPresent(t -> all.add(new Entry("api-token", Role.ADMIN, new BearerToken(t))));
        settings.tokens().forEach(t -> all.add(new Entry(t.name(), t.role(), BearerToken.ofDigest(t.sha256()))));
        this.entries = List.copyOf(all);
        this.mode = settings.mode();
        this.servedHosts = servedHosts(settings);
    }

    boolean anyToken() {
        return !entries.isEmpty();
    }

    /**
     * The caller, who must hold at least {@code needed}: 401 without a token or with a wrong one, 403 when the
     * role is too low, 503 naming {@code what} when no token is configured at all.
     */
    Principal require(Context ctx, Role needed, String what) {
        if (entries.isEmpty()) {
            throw ApiException.disabled(what + " disabled: no token configured");
        }
        String header = ctx.header("Authorization");
        if (!BearerToken.isBearer(header)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiException.unauthorized("missing bearer token: send Authorization: Bearer <token>");
        }
        Entry match = null;
        for (Entry entry : entries) {
            if (entry.token().matches(header) && match == null) {
                match = entry;
            }
        }
        if (match == null) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw ApiException.unauthorized("wrong bearer token");
        }
        if (!match.role().atLeast(needed)) {
            throw ApiException.forbidden("token '" + match.name() + "' has role " + match.role().lower() + "; "
                    + what + " needs " + needed.lower());
        }
        return new Principal(match.name(), match.role());
    }

    /** Reads: open in dev mode, at least a viewer token in production; the reader when a token was needed. */
    Optional<Principal> requireRead(Context ctx) {
        if (mode == ApiSettings.Mode.PRODUCTION) {
            return Optional.of(require(ctx, Role.VIEWER, "reading"));
        }
        return Optional.empty();
    }

    /**
     * Dev mode serves a well-known admin token, so a web page must not reach it by rebinding its own DNS name to
     * this address: the {@code Host} a browser sends then names the attacker's domain, never one we serve.
     */
    void checkHost(Context ctx) {
        if (mode != ApiSettings.Mode.DEV) {
            return;
        }
        String host = hostName(ctx.header("Host"));
        if (host == null || !servedHosts.contains(host)) {
            throw ApiException.forbidden("host '" + Params.shorten(String.valueOf(ctx.header("Host")))
                    + "' is not an address this dev server serves (DNS rebinding protection)");
        }
    }

    private static Set<String> servedHosts(ApiSettings settings) {
        Set<String> hosts = new TreeSet<>(List.of("localhost", "127.0.0.1", "[::1]"));
        for (String host : List.of(settings.host(), settings.advertisedHost())) {
            if (!host.equals("0.0.0.0") && !host.equals("::")) {
                hosts.add(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
            }
        }
        return hosts.stream().map(h -> h.toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    /** The host part of a {@code Host} header ({@code name}, {@code name:port}, {@code [v6]:port}). */
    static String hostName(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String text = header.trim().toLowerCase(Locale.ROOT);
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            return end < 0 ? null : text.substring(0, end + 1);
        }
        int colon = text.indexOf(':');
        return colon < 0 ? text : text.substring(0, colon);
    }
}
