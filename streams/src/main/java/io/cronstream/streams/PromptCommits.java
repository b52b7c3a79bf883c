package io.cronstream.streams;

import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Commits soon after output that someone waits for (a due event, a run's new status, an alert), at most once per
 * {@link #GAP}. Under exactly-once a {@code read_committed} reader sees output only after its transaction commits;
 * the commit interval is long so that the bulk of worker events (counts, percent) is folded in few transactions,
 * and this asks Kafka Streams ({@link ProcessorContext#commit()}) to commit earlier when the output matters now.
 *
 * <p>The first such output after a quiet {@link #GAP} asks at once (a punctuation's fires are committed right after
 * it); more within the gap wait for a punctuator that asks at its end, so a steady stream of them cannot make every
 * loop of the stream thread commit. Kafka Streams commits all of a thread's tasks together under exactly-once.
 */
public final class PromptCommits {

    /** The longest an output that asked waits for its commit to be asked for: Kafka Streams' exactly-once default. */
    public static final Duration GAP = Duration.ofMillis(100);
    private static final long GAP_MS = GAP.toMillis();

    private final ProcessorContext<?, ?> context;
    private boolean asked;
    private long askedAt;
    private boolean waiting;

    private PromptCommits(ProcessorContext<?, ?> context) {
        this.context = context;
    }

    /** For a processor's {@code init}: schedules the wall-clock punctuator that asks for what waited. */
    public static PromptCommits schedule(ProcessorContext<?, ?> context) {
        PromptCommits commits = new PromptCommits(context);
        context.schedule(GAP, PunctuationType.WALL_CLOCK_TIME, commits::askIfWaiting);
        return commits;
    }

    /** Output was forwarded that a reader waits for: commit soon. */
    public void soon() {
        long now = context.currentSystemTimeMs();
        if (!asked || now - askedAt >= GAP_MS) {
            ask(now);
        } else {
            waiting = true;
        }
    }

    private void askIfWaiting(long now) {
        if (waiting) {
            ask(now);
        }
    }

    private void ask(long now) {
        context.commit();
        asked = true;
        askedAt = now;
        waiting = false;
    }
}
