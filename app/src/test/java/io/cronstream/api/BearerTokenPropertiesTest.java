package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 23: the README's token rule over real HTTP: a trigger is let through only for {@code Bearer <token>}, the
 * scheme in any case, exactly one space, the token exactly; every whitespace and case variant of it is 401. HTTP
 * itself (RFC 9110 §5.5) removes spaces and tabs around a header's whole value before any code sees it, so those
 * are the one variant the oracle takes as the token. Requests are written byte for byte on a socket, so no client
 * library tidies them; they trigger an unknown job, so a request let through answers 404 and starts nothing.
 */
class BearerTokenPropertiesTest {

    private static final String EXACT = "Bearer " + DriverHarness.TOKEN;
    /** Whitespace a token may be mangled with: HTTP's own (space, tab) and other Unicode spaces (sent as UTF-8). */
    private static final List<String> SPACES = List.of(" ", "\t", "  ", "\u00a0", "\u2003", "\u3000", " \t");
    private static DriverHarness harness;

    @BeforeContainer
    static void start() {
        harness = new DriverHarness();
    }

    @AfterContainer
    static void stop() {
        harness.close();
    }

    /** One change to the exact header: a space inserted or replacing a character, or a letter's case flipped. */
    record Mutation(int kind, int position, int space) {
        String apply(String header) {
            int at = Math.floorMod(position, header.length() + 1);
            String ws = SPACES.get(space);
            return switch (kind) {
                case 0 -> header.substring(0, at) + ws + header.substring(at);
                case 1 -> at == header.length() ? header + ws : header.substring(0, at) + ws + header.substring(at + 1);
                default -> {
                    if (at == header.length()) {
                        yield header;
                    }
                    char c = header.charAt(at);
                    char flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
                    yield header.substring(0, at) + flipped + header.substring(at + 1);
                }
            };
        }
    }

    @Property(tries = 400)
    void onlyTheExactTokenGetsThrough(@ForAll("mutations") List<Mutation> mutations) {
        String header = EXACT;
        for (Mutation mutation : mutations) {
            header = mutation.apply(header);
        }
        int status = trigger(header);
        assertThat(status).as("Authorization: [%s]", header.replace("\t", "\\t"))
                .isEqualTo(theToken(header) ? 404 : 401);
    }

    @Example
    void theExactTokenInAnySchemeCaseGetsThroughAndAlmostTheTokenDoesNot() {
        assertThat(trigger(EXACT)).isEqualTo(404);
        assertThat(trigger("bEaReR " + DriverHarness.TOKEN)).isEqualTo(404);
        assertThat(trigger("Bearer  " + DriverHarness.TOKEN)).isEqualTo(401);
        assertThat(trigger("Bearer\t" + DriverHarness.TOKEN)).isEqualTo(401);
        assertThat(trigger(EXACT + "\u00a0")).isEqualTo(401);
        assertThat(trigger("Bearer " + DriverHarness.TOKEN.toUpperCase())).isEqualTo(401);
    }

    /**
     * The oracle: what reaches the server once HTTP has removed spaces and tabs around the value is {@code Bearer}
     * in any case, one space and the token.
     */
    private static boolean theToken(String header) {
        String value = header.replaceAll("^[ \t]+|[ \t]+$", "");
        return value.length() == EXACT.length() && value.regionMatches(true, 0, "Bearer ", 0, 7)
                && value.substring(7).equals(DriverHarness.TOKEN);
    }

    /** POSTs a trigger with exactly this Authorization value (UTF-8 bytes) and returns the status. */
    private static int trigger(String authorization) {
        URI uri = URI.create(harness.url("/api/v1/jobs/nope/trigger"));
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + uri.getPath() + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\nAuthorization: ").getBytes(StandardCharsets.US_ASCII));
            out.write(authorization.getBytes(StandardCharsets.UTF_8));
            out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(answer.substring(9, 12));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, EXACT.length() + 1), Arbitraries.integers().between(0, SPACES.size() - 1))
                .as(Mutation::new);
        return mutation.list().ofMinSize(0).ofMaxSize(3);
    }
}
