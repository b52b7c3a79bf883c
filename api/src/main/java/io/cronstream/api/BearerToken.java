package io.cronstream.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The trigger route's secret and the check of an {@code Authorization} header against it.
 *
 * <p>The header must be exactly {@code Bearer <token>} (the scheme in any case, one space, nothing
 * trimmed or added): an almost-right token is a wrong token. (Spaces and tabs around the whole value are not part of
 * it in HTTP, RFC 9110 §5.5: the server removes them before the value reaches this check.) The comparison is constant-time twice
 * over: both sides are SHA-256 digests (always 32 bytes, so the time cannot depend on the token's
 * length) compared with {@link MessageDigest#isEqual} (which does not stop at the first difference).
 * The token itself is never logged, shown or put into an exception.
 */
final class BearerToken {

    /** How two digests are compared; a seam so a test can see that it is {@link MessageDigest#isEqual}. */
    interface Comparison {
        boolean equal(byte[] expected, byte[] presented);
    }

    static final Comparison CONSTANT_TIME = MessageDigest::isEqual;

    private static final String SCHEME = "Bearer ";

    private final byte[] digest;
    private final Comparison comparison;

    BearerToken(String token) {
        this(token, CONSTANT_TIME);
    }

    BearerToken(String token, Comparison comparison) {
        this(digest(token), comparison);
    }

    private BearerToken(byte[] digest, Comparison comparison) {
        this.digest = digest.clone();
        this.comparison = comparison;
    }

    /** A token known only by its SHA-256 digest ({@code cronstream.api.tokens}). */
    static BearerToken ofDigest(byte[] sha256) {
        return new BearerToken(sha256, CONSTANT_TIME);
    }

    /** Whether the header presents a bearer token at all (else the answer names the scheme to use). */
    static boolean isBearer(String header) {
        return header != null && header.length() > SCHEME.length()
                && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** Whether {@code header} is {@code Bearer <this token>}, exactly. */
    boolean matches(String header) {
        if (!isBearer(header)) {
            return false;
        }
        return comparison.equal(digest, digest(header.substring(SCHEME.length())));
    }

    Comparison comparison() {
        return comparison;
    }

    @Override
    public String toString() {
        return "BearerToken[<hidden>]";
    }

    static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
