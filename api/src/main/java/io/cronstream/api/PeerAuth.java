package io.cronstream.api;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates requests one instance forwards to another ({@link Peers#FORWARDED}): such a request is
 * answered from the receiver's own stores only, so an outside client sending the header could make an
 * instance answer part of a list as if it were whole. Each forwarded request carries an HMAC-SHA256 of its
 * method and path under a secret every instance derives from the configured tokens' digests (instances of
 * one application share their tokens); with no token configured there is no secret and every forwarded
 * request is refused.
 */
final class PeerAuth {

    static final String HEADER = "X-Cronstream-Peer-Auth";

    private final Optional<SecretKeySpec> key;

    PeerAuth(List<byte[]> tokenDigests) {
        if (tokenDigests.isEmpty()) {
            this.key = Optional.empty();
            return;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("cronstream-peer-v1".getBytes(StandardCharsets.UTF_8));
            // Sorted, so the order of the entries in the settings does not matter.
            tokenDigests.stream().sorted(Comparator.comparing(HexFormat.of()::formatHex)).forEach(sha::update);
            this.key = Optional.of(new SecretKeySpec(sha.digest(), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The header value for a request, or empty when no secret can be derived. */
    Optional<String> sign(String method, String pathAndQuery) {
        return key.map(k -> HexFormat.of().formatHex(mac(k, method, pathAndQuery)));
    }

    /** Whether {@code ctx} carries a valid signature of its own method and path. */
    boolean verify(Context ctx) {
        String presented = ctx.header(HEADER);
        if (key.isEmpty() || presented == null || !presented.matches("[0-9a-f]{64}")) {
            return false;
        }
        byte[] expected = mac(key.get(), ctx.method().name(), Peers.pathAndQuery(ctx));
        return MessageDigest.isEqual(expected, HexFormat.of().parseHex(presented));
    }

    private static byte[] mac(SecretKeySpec key, String method, String pathAndQuery) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal((method + " " + pathAndQuery).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
