package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cronstream.ticker.JobState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code ?wait=true}: polls the job's definition in {@code ticker-jobs}, at whichever instance owns it,
 * until the ticker has applied a write (the connector carried it there), or gives up after a bound.
 */
final class AppliedWait {

    /** Polling is a lookup in a local store (or one small GET to the owner): cheap enough this often. */
    private static final Duration POLL = Duration.ofMillis(5);

    private final Router router;
    private final LocalStores stores;
    private final ObjectMapper mapper;
    private final Duration timeout;
    private final Clock clock;

    AppliedWait(Router router, LocalStores stores, ObjectMapper mapper, Duration timeout, Clock clock) {
        this.router = router;
        this.stores = stores;
        this.mapper = mapper;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Whether the ticker holds {@code version} (or a later one) of the job before the bound. */
    boolean version(String jobId, long version) {
        return until(jobId, job -> job.isPresent() && job.get().path("version").asLong(-1) >= version);
    }

    /** Whether the ticker has removed the job before the bound. */
    boolean removed(String jobId) {
        return until(jobId, Optional::isEmpty);
    }

    private boolean until(String jobId, Predicate<Optional<JsonNode>> applied) {
        Instant deadline = clock.instant().plus(timeout);
        String path = "/api/v1/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8).replace("+", "%20");
        while (true) {
            try {
                Optional<JsonNode> job = router.lookup(StoreNames.JOBS, jobId, path, partition -> stores
                        .<JobState>get(StoreNames.JOBS, jobId, partition)
                        .map(state -> (JsonNode) mapper.valueToTree(stores.view(state))));
                if (applied.test(job)) {
                    return true;
                }
            } catch (ApiException e) {
                if (e.status() != 503) {
                    throw e;
                }
                // ownership is moving: ask again until the bound
            }
            if (!clock.instant().isBefore(deadline)) {
                return false;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
