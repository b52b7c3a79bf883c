package io.cronstream.api;

import java.time.Duration;
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
 */
public record ApiSettings(
        String host,
        int port,
        String advertisedHost,
        Optional<String> token,
        Mode mode,
        long maxBodyBytes,
        Duration peerTimeout,
        Duration triggerInterval) {

    /** In dev mode a missing token falls back to this well-known one; production never does. */
    public static final String DEV_TOKEN = "dev-token";

    public enum Mode { DEV, PRODUCTION }

    public ApiSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("setting cronstream.api.port = " + port + ": expected 0-65535");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("setting cronstream.api.max.body.bytes must be at least 1");
        }
    }

    /** {@code host:port} as other instances reach this one. */
    public String advertised() {
        return advertisedHost + ":" + port;
    }

    public ApiSettings withPort(int newPort) {
        return new ApiSettings(host, newPort, advertisedHost, token, mode, maxBodyBytes, peerTimeout, triggerInterval);
    }

    /** Says where the token came from without ever printing it. */
    public String tokenSource() {
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
                + ", token=" + (token.isPresent() ? "<set>" : "<none>") + "]";
    }
}
