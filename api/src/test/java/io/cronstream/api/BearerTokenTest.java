package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trigger token check: exact, and constant-time by construction. Timing is not measured (that
 * would be flaky); instead the seam shows what is compared and how: always two 32-byte SHA-256
 * digests, by {@link MessageDigest#isEqual}, whatever the presented token's length or content.
 */
class BearerTokenTest {

    private static final String TOKEN = "s3cret-Trigger-Token";

    @Test
    void theRouteComparesWithMessageDigestIsEqual() {
        BearerToken token = new BearerToken(TOKEN);
        assertThat(token.comparison()).isSameAs(BearerToken.CONSTANT_TIME);
        byte[] a = BearerToken.digest("a");
        assertThat(BearerToken.CONSTANT_TIME.equal(a, BearerToken.digest("a"))).isTrue();
        assertThat(BearerToken.CONSTANT_TIME.equal(a, BearerToken.digest("b"))).isFalse();
        assertThat(token).hasToString("BearerToken[<hidden>]");
    }

    @Test
    void everyCheckComparesTwoDigestsOfTheSameLengthWhateverIsPresented() {
        List<byte[][]> compared = new ArrayList<>();
        BearerToken token = new BearerToken(TOKEN, (expected, presented) -> {
            compared.add(new byte[][] {expected, presented});
            return MessageDigest.isEqual(expected, presented);
        });
        List<String> presented = List.of(TOKEN, "x", TOKEN.substring(0, 1), TOKEN.substring(0, TOKEN.length() - 1),
                TOKEN + "x", TOKEN.toUpperCase(), "t".repeat(10_000), " " + TOKEN, TOKEN + " ");
        for (String candidate : presented) {
            token.matches("Bearer " + candidate);
        }
        assertThat(compared).hasSize(presented.size()).allSatisfy(pair -> {
            assertThat(pair[0]).hasSize(32);
            assertThat(pair[1]).hasSize(32);
        });
    }

    @Test
    void onlyTheExactTokenMatches() {
        BearerToken token = new BearerToken(TOKEN);
        assertThat(token.matches("Bearer " + TOKEN)).isTrue();
        assertThat(token.matches("bearer " + TOKEN)).as("the scheme is case-insensitive (RFC 7235)").isTrue();
        for (String almost : List.of(TOKEN.substring(1), TOKEN.substring(0, TOKEN.length() - 1), "x" + TOKEN, TOKEN + "x",
                TOKEN.toUpperCase(), TOKEN.toLowerCase(), " " + TOKEN, TOKEN + " ", TOKEN + "\t", "\t" + TOKEN,
                TOKEN.replace("-", " "), TOKEN + "\n", "")) {
            assertThat(token.matches("Bearer " + almost)).as("Bearer '%s'", almost).isFalse();
        }
        for (String header : List.of(TOKEN, "Basic " + TOKEN, "Bearer", "Bearer ", "Token " + TOKEN, "Bearer:" + TOKEN)) {
            assertThat(token.matches(header)).as(header).isFalse();
        }
        assertThat(token.matches(null)).isFalse();
    }
}
