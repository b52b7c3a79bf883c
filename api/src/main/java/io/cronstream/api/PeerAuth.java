package io.cronstream.api;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates requests one instance forwards to another ({@link Peers#FORWARDED}): such a request is
 * answered from the receiver's own stores only, so an outside client sending the header could make an
 * instance answer part of a list as if it were whole.
 *
 * <p>Each forwarded request carries an HMAC-SHA256 over its method, path and query, body digest, the time it
 * was signed and a random nonce. The receiver refuses a signature more than {@link #WINDOW} away from its own
 * clock (either way, for clock skew) and one whose nonce it has seen, so a captured request cannot be replayed,
 * neither later nor at once.
 *
 * <p>The key is {@code cronstream.api.peer.secret} when set, else derived from {@code cronstream.api.token}: a
 * secret every instance of the application already shares, so a cluster that works today keeps working. Never
 * from {@code cronstream.api.tokens}, whose SHA-256 digests are meant to be safe to show. With neither there is
 * no key and every forwarded request is refused.
 */
final class PeerAuth {

    static final String HEADER = "X-Cronstream-Peer-Auth";
    static final String TIME = "X-Cronstream-Peer-Time";
    static final String NONCE = "X-Cronstream-Peer-Nonce";
    /** How far a signature's time may be from the receiver's clock: a forward takes at most the peer timeout. */
    static final Duration WINDOW = Duration.ofSeconds(30);
    static final String INVALID = "forwarded request without a valid peer signature";

    /** Where the key comes from, for the start-up log line. */
    enum KeySource { PEER_SECRET, API_TOKEN, NONE }

    /** Pruned of expired nonces when it grows past this (at most once a second). */
    private static final int PRUNE_ABOVE = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<SecretKeySpec> key;
    private final Clock clock;
    /** Nonces of accepted signatures, with when their signature expires: a second use is a replay. */
    private final ConcurrentMap<String, Instant> seen = new ConcurrentHashMap<>();
    private volatile Instant lastPrune = Instant.MIN;

    private PeerAuth(Optional<SecretKeySpec> key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    static PeerAuth of(ApiSettings settings, Clock clock) {
        return new PeerAuth(secret(settings).map(secret -> new SecretKeySpec(hmac(new SecretKeySpec(secret, "HmacSHA256"),
                "cronstream-peer-v2".getBytes(StandardCharsets.UTF_8)), "HmacSHA256")), clock);
    }

    static KeySource source(ApiSettings settings) {
        return settings.peerSecret().isPresent() ? KeySource.PEER_SECRET
                : settings.token().isPresent() ? KeySource.API_TOKEN : KeySource.NONE;
    }

    private static Optional<byte[]> secret(ApiSettings settings) {
        return settings.peerSecret().or(settings::token).map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    /** The headers that sign a request, or none when there is no key. */
    Map<String, String> sign(String method, String pathAndQuery, byte[] body) {
        if (key.isEmpty()) {
            return Map.of();
        }
        String time = Long.toString(clock.millis());
        byte[] nonceBytes = new byte[16];
        RANDOM.nextBytes(nonceBytes);
        String nonce = HexFormat.of().formatHex(nonceBytes);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(TIME, time);
        headers.put(NONCE, nonce);
        headers.put(HEADER, HexFormat.of().formatHex(mac(method, pathAndQuery, body, time, nonce)));
        return headers;
    }

    /** Refuses (401) a forwarded request unless it carries a fresh, unused signature of itself. */
    void check(Context ctx) {
        String presented = ctx.header(HEADER);
        String time = ctx.header(TIME);
        String nonce = ctx.header(NONCE);
        if (key.isEmpty() || presented == null || !presented.matches("[0-9a-f]{64}") || time == null
                || !time.matches("\\d{1,15}") || nonce == null || !nonce.matches("[0-9a-f]{32}")) {
            throw ApiException.unauthorized(INVALID);
        }
        byte[] expected = mac(ctx.method().name(), Peers.pathAndQuery(ctx), ctx.bodyAsBytes(), time, nonce);
        if (!MessageDigest.isEqual(expected, HexFormat.of().parseHex(presented))) {
            throw ApiException.unauthorized(INVALID);
        }
        Instant now = clock.instant();
        Instant signedAt = Instant.ofEpochMilli(Long.parseLong(time));
        if (Duration.between(signedAt, now).abs().compareTo(WINDOW) > 0) {
            throw ApiException.unauthorized(INVALID + ": signed at " + signedAt + ", more than "
                    + WINDOW.toSeconds() + " s from this instance's clock (" + now + ")");
        }
        if (seen.putIfAbsent(nonce, signedAt.plus(WINDOW)) != null) {
            throw ApiException.unauthorized(INVALID + ": its signature was used before (a replay)");
        }
        prune(now);
    }

    private void prune(Instant now) {
        if (seen.size() > PRUNE_ABOVE && now.isAfter(lastPrune.plusSeconds(1))) {
            lastPrune = now;
            // A nonce whose signature has expired is refused by its time already.
            seen.values().removeIf(expires -> expires.isBefore(now));
        }
    }

    private byte[] mac(String method, String pathAndQuery, byte[] body, String time, String nonce) {
        String bodyDigest = HexFormat.of().formatHex(sha256(body));
        String signed = String.join("\n", method, pathAndQuery, bodyDigest, time, nonce);
        return hmac(key.orElseThrow(), signed.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] hmac(SecretKeySpec key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
