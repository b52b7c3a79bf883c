package io.cronstream.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.cronstream.ticker.JobState;
import io.cronstream.ticker.job.JobDefinition;
import java.time.Instant;
import java.util.List;

/**
 * A job as the API shows it (DESIGN §7): its definition, whether it is valid, and where its schedule stands. One
 * flat JSON object of the definition's fields, the ticker's state and the pause: a field added to the definition
 * or the state shows up here without an edit.
 */
public record JobView(
        @JsonUnwrapped @JsonIgnoreProperties("pause") JobDefinition definition,
        @JsonUnwrapped @JsonIgnoreProperties({"definition", "lastScheduledFor", "failures"}) JobState state,
        @JsonUnwrapped PauseView pause) {

    /** The pause as flat fields (DESIGN §4 spells them so), and whether it holds now. */
    public record PauseView(Instant pausedUntil, String pauseNote, String pausedBy, boolean paused) {
    }

    public static JobView of(JobState state) {
        return of(state, state.definition());
    }

    /**
     * The job with {@code definition} shown for its own: the stored one, or the stored one made invalid by what
     * only the job graph can tell ({@code after} naming an unknown job or closing a cycle), see
     * {@link LocalStores#view}.
     */
    static JobView of(JobState state, JobDefinition definition) {
        JobDefinition d = definition;
        // the definition's pause, or the ticker's own (pauseOnFailure, pausedBy cronstream) while it lasts
        JobDefinition.Pause pause = state.effectivePause();
        // paused now: until resumed, or until a pausedUntil still ahead
        return new JobView(d, state, pause == null ? new PauseView(null, null, null, false)
                : new PauseView(pause.until(), pause.note(), pause.by(),
                        pause.until() == null || pause.until().isAfter(Instant.now())));
    }

    /**
     * The next {@code count} fire times, chained exactly as the ticker chains them from its pending
     * next fire; none for Manual, disabled, invalid or finished jobs.
     */
    public static List<Instant> nextFires(JobState state, int count) {
        JobDefinition definition = state.definition();
        if (!definition.firesOnSchedule() || state.nextFireAt() == null) {
            return List.of();
        }
        return definition.schedule(state.firstSeenAt()).upcoming(state.nextFireAt(), state.fireCount(), count);
    }

    /** {@code GET /api/v1/jobs/{jobId}/next}. */
    public record Next(String jobId, List<Instant> next) {
    }
}
