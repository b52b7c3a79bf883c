package io.cronstream.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The API's settings ({@code cronstream.api.*}; read by the application's {@code CronstreamApp.apiSettings}).
 *
 * @param advertisedHost   how other instances reach this one; with {@code port} it becomes Kafka
 *                         Streams' {@code application.server}
 * @param token            the bearer token for triggers; empty only in production mode without one
 *                         configured, which disables triggers
 * @param maxBodyBytes     larger request bodies get 413
 * @param peerTimeout      how long a request forwarded to another instance may take
 * @param triggerInterval  at most one trigger per job per this interval
 * @param tokens           role tokens ({@code cronstream.api.tokens}: {@code name:role:sha256-hex}); {@code token}
 *                         is an admin token besides these
 * @param writeWait        how long a write with {@code ?wait=true} waits for the ticker to apply it
 * @param peerSecret       the key of the signatures on requests forwarded between instances
 *                         ({@code cronstream.api.peer.secret}); empty: derived from {@code token} ({@link PeerAuth})
 * @param previewRate      schedule previews per client per second at most ({@code cronstream.api.preview.rate})
 */
public record ApiSettings(
        String host,
        int port,
        String advertisedHost,
        Optional<String> token,
        Mode mode,
        long maxBodyBytes,
        Duration peerTimeout,
        Duration triggerInterval,
        List<RoleToken> tokens,
        Duration writeWait,
        Optional<String> peerSecret,
        int previewRate) {

    /** A shorter {@code cronstream.api.peer.secret} is refused: it could be guessed. */
    public static final int MIN_PEER_SECRET_CHARS = 16;

    /** Default of {@code cronstream.api.preview.rate}: far above a person typing, far below a loop. */
    public static final int DEFAULT_PREVIEW_RATE = 10;

    /** Default of {@code cronstream.api.write.wait}. */
    public static final Duration DEFAULT_WRITE_WAIT = Duration.ofSeconds(5);

    /** One entry of {@code cronstream.api.tokens}: the token is known only by its SHA-256 digest. */
    public record RoleToken(String name, Role role, byte[] sha256) {

        /** Parses {@code name:role:sha256-hex}; the message never repeats the digest. */
        public static RoleToken parse(String entry) {
            String[] parts = entry.trim().split(":", -1);
            if (parts.length != 3 || parts[0].isBlank()) {
                throw new IllegalArgumentException("setting cronstream.api.tokens: expected name:role:sha256-hex entries");
            }
            Role role = Role.parse(parts[1]).orElseThrow(() -> new IllegalArgumentException(
                    "setting cronstream.api.tokens: token '" + parts[0] + "' has role '" + parts[1]
                            + "', expected viewer, operator or admin"));
            if (!parts[2].matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("setting cronstream.api.tokens: token '" + parts[0]
                        + "' needs a SHA-256 digest of 64 hex digits");
            }
            return new RoleToken(parts[0], role, java.util.HexFormat.of().parseHex(parts[2]));
        }

        @Override
        public String toString() {
            return "RoleToken[" + name + ":" + role + "]";
        }
    }

    /** The settings before role tokens existed: only {@code token}, an admin token. */
    public ApiSettings(String host, int port, String advertisedHost, Optional<String> token, Mode mode,
            long maxBodyBytes, Duration peerTimeout, Duration triggerInterval) {
        this(host, port, advertisedHost, token, mode, maxBodyBytes, peerTimeout, triggerInterval, List.of(),
                DEFAULT_WRITE_WAIT);
    }

    /** The settings before {@code cronstream.api.peer.secret}: peer signatures keyed by {@code token}. */
    public ApiSettings(String host, int port, String advertisedHost, Optional<String> token, Mode mode,
            long maxBodyBytes, Duration peerTimeout, Duration triggerInterval, List<RoleToken> tokens,
            Duration writeWait) {
        this(host, port, advertisedHost, token, mode, maxBodyBytes, peerTimeout, triggerInterval, tokens, writeWait,
                Optional.empty());
    }

    /** The settings before {@code cronstream.api.preview.rate}: its default. */
    public ApiSettings(String host, int port, String advertisedHost, Optional<String> token, Mode mode,
            long maxBodyBytes, Duration peerTimeout, Duration triggerInterval, List<RoleToken> tokens,
            Duration writeWait, Optional<String> peerSecret) {
        this(host, port, advertisedHost, token, mode, maxBodyBytes, peerTimeout, triggerInterval, tokens, writeWait,
                peerSecret, DEFAULT_PREVIEW_RATE);
    }

    /** In dev mode a missing token falls back to this well-known one; production never does. */
    public static final String DEV_TOKEN = "dev-token";

    public enum Mode { DEV, PRODUCTION }

    public ApiSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("setting cronstream.api.port = " + port + ": expected 0-65535");
        }
        tokens = List.copyOf(tokens);
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("setting cronstream.api.max.body.bytes must be at least 1");
        }
        if (previewRate < 1) {
            throw new IllegalArgumentException("setting cronstream.api.preview.rate = " + previewRate
                    + ": expected at least 1");
        }
        if (peerSecret.isPresent() && peerSecret.get().strip().length() < MIN_PEER_SECRET_CHARS) {
            // the value is never repeated: it is a secret, however weak
            throw new IllegalArgumentException("setting cronstream.api.peer.secret: at least " + MIN_PEER_SECRET_CHARS
                    + " characters (e.g. the output of `openssl rand -hex 24`)");
        }
    }

    /** {@code host:port} as other instances reach this one. */
    public String advertised() {
        return advertisedHost + ":" + port;
    }

    public ApiSettings withPort(int newPort) {
        return new ApiSettings(host, newPort, advertisedHost, token, mode, maxBodyBytes, peerTimeout, triggerInterval,
                tokens, writeWait, peerSecret, previewRate);
    }

    /** Says where the token came from without ever printing it. */
    public String tokenSource() {
        if (token.isEmpty() && !tokens.isEmpty()) {
            return tokens.size() + " role tokens configured";
        }
        if (token.isEmpty()) {
            return "no token configured: triggers are disabled";
        }
        return token.get().equals(DEV_TOKEN) && mode == Mode.DEV
                ? "dev mode: triggers use the token '" + DEV_TOKEN + "' (set CRONSTREAM_API_TOKEN to change it)"
                : "triggers need the configured bearer token";
    }

    @Override
    public String toString() {
        return "ApiSettings[host=" + host + ", port=" + port + ", advertised=" + advertisedHost + ", mode=" + mode
                + ", token=" + (token.isPresent() ? "<set>" : "<none>") + ", tokens=" + tokens
                + ", peerSecret=" + (peerSecret.isPresent() ? "<set>" : "<none>") + "]";
    }
}
