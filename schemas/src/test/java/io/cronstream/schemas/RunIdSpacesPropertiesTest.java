package io.cronstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Issue 23: the run a user's idempotency key names is never a run Cronstream derives itself (a fire time's, a keyless
 * trigger's, a retry's, a chained run's), and a key that would be is refused before it becomes a command. Keys are
 * drawn from the whole alphabet with the derived forms' pieces (digits, {@code -attempt-}) mixed in, so the tries
 * reach the reserved shapes often.
 */
class RunIdSpacesPropertiesTest {

    @Property(tries = 2000)
    void anAcceptedKeyNamesNoDerivedRun(@ForAll("keys") String key, @ForAll("jobIds") String jobId,
            @ForAll("millis") long millis, @ForAll("keys") String otherKey, @ForAll @IntRange(min = 2, max = 100) int attempt) {
        if (DueEvent.requestIdProblem(key) != null) {
            assertThat(commandRefused(jobId, key)).as("a refused key never becomes a command: %s", key).isTrue();
            return;
        }
        String manual = DueEvent.manualRunIdFor(jobId, key);
        List<String> derived = new ArrayList<>(List.of(
                DueEvent.runIdFor(jobId, Instant.ofEpochMilli(millis)),
                Command.trigger(jobId, "prop", Instant.ofEpochMilli(millis)).manualRunId(),
                DueEvent.afterRunIdFor(jobId, otherKey),
                DueEvent.retryRunIdFor(DueEvent.runIdFor(jobId, Instant.ofEpochMilli(millis)), attempt),
                DueEvent.retryRunIdFor(DueEvent.manualRunIdFor(jobId, String.valueOf(millis)), attempt)));
        if (DueEvent.requestIdProblem(otherKey) == null) {
            derived.add(DueEvent.retryRunIdFor(DueEvent.manualRunIdFor(jobId, otherKey), attempt));
        }
        assertThat(derived).as("key %s", key).doesNotContain(manual);
        assertThat(DueEvent.firstRunIdOf(manual)).as("a key's run is a first try").isEqualTo(manual);
        assertThat(Command.trigger(jobId, "prop", Instant.ofEpochMilli(millis), key).manualRunId()).isEqualTo(manual);
    }

    @Property(tries = 500)
    void aRetrysFirstTryIsFoundWhateverTheJobIdHolds(@ForAll("jobIds") String jobId, @ForAll("keys") String key,
            @ForAll @IntRange(min = 2, max = 100) int attempt) {
        if (DueEvent.requestIdProblem(key) != null) {
            return;
        }
        String first = DueEvent.manualRunIdFor(jobId, key);
        assertThat(DueEvent.firstRunIdOf(DueEvent.retryRunIdFor(first, attempt))).isEqualTo(first);
    }

    @Example
    void theReservedShapesAreRefusedWithTheirReason() {
        assertThat(DueEvent.requestIdProblem("deploy-4711-attempt-2")).contains("-attempt-");
        assertThat(DueEvent.requestIdProblem("1795774530250")).contains("only digits");
        assertThat(DueEvent.requestIdProblem("deploy 4711")).contains("letters, digits");
        assertThat(DueEvent.requestIdProblem("deploy-4711")).isNull();
        assertThat(DueEvent.requestIdProblem("attempt-2")).as("manual-attempt-2 reads as a retry").contains("attempt-");
        assertThat(DueEvent.requestIdProblem("reattempt-2")).isNull();
        assertThat(DueEvent.requestIdProblem("4711a")).isNull();
    }

    private static boolean commandRefused(String jobId, String key) {
        try {
            Command.trigger(jobId, "prop", Instant.EPOCH, key);
            return false;
        } catch (IllegalArgumentException refused) {
            return true;
        }
    }

    @Provide
    Arbitrary<String> keys() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withChars("Aa09._-").ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(14),
                Arbitraries.of("-attempt-", "attempt-", "-attempt", "manual-", "after-", "@", " "));
        return piece.list().ofMinSize(1).ofMaxSize(5).map(parts -> String.join("", parts))
                .filter(k -> !k.isEmpty() && k.length() <= 70);
    }

    @Provide
    Arbitrary<String> jobIds() {
        return Arbitraries.oneOf(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                Arbitraries.of("j@1", "j-attempt-2", "j@manual-x", "a@b-attempt-3@c"));
    }

    @Provide
    Arbitrary<Long> millis() {
        return Arbitraries.longs().between(0, 4_102_444_799_999L);
    }
}
