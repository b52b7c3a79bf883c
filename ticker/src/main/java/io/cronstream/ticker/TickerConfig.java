package io.cronstream.ticker;

import io.cronstream.schemas.Topics;
import io.cronstream.ticker.job.JobDefinitionParser;
import java.time.Duration;
import java.util.Objects;

/**
 * @param punctuateEvery         how often due jobs are fired (wall clock); at least 100 ms
 * @param misfireThreshold       a fire time later than this is a misfire, handled by the job's misfire policy
 * @param maxFiresPerPunctuation bounds one punctuation (one transaction) in fires; the rest fire on the next one
 * @param maxCatchupFiresPerJob  bounds FIRE_ALL after a long downtime; the newest missed times are kept
 * @param punctuationTimeBudget  bounds one punctuation in time, well under the transaction timeout (Kafka Streams'
 *                               default with exactly-once is 10 s): a punctuation that outlived its transaction
 *                               would be fenced; what is left fires on the next one
 * @param runRetention           how long the ticker remembers a run it made after it made it, or after its end when
 *                               the ticker hears of it ({@code cronstream.progress.run.retention}, as long as
 *                               progress keeps the run); see {@link MadeRuns}
 */
public record TickerConfig(
        Topics topics,
        Duration punctuateEvery,
        Duration misfireThreshold,
        int maxFiresPerPunctuation,
        int maxCatchupFiresPerJob,
        JobDefinitionParser.Defaults jobDefaults,
        Duration punctuationTimeBudget,
        Duration runRetention) {

    public static final Duration DEFAULT_PUNCTUATION_TIME_BUDGET = Duration.ofSeconds(2);
    /** DESIGN §10: a finished run is kept this long. */
    public static final Duration DEFAULT_RUN_RETENTION = Duration.ofDays(7);
    /**
     * 100 ms (the minimum): a due event waits for the next punctuation and then for the exactly-once commit
     * (100 ms), so a consumer receives it at most about 200 ms late plus the punctuation and the commit
     * themselves; a second's wait made lateness up to 1 s by design. The cost is ten punctuations a second
     * (a range scan of the schedule index that finds nothing when nothing is due) per ticker task.
     */
    public static final Duration DEFAULT_PUNCTUATE_EVERY = Duration.ofMillis(100);

    public TickerConfig {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(jobDefaults, "jobDefaults");
        Objects.requireNonNull(punctuationTimeBudget, "punctuationTimeBudget");
        Objects.requireNonNull(runRetention, "runRetention");
        if (punctuateEvery.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("ticker punctuation interval must be at least 100 ms, got " + punctuateEvery);
        }
        if (misfireThreshold.isNegative()) {
            throw new IllegalArgumentException("misfire threshold must not be negative");
        }
        if (maxFiresPerPunctuation < 1 || maxCatchupFiresPerJob < 1) {
            throw new IllegalArgumentException("fire limits must be at least 1");
        }
        if (punctuationTimeBudget.isNegative() || punctuationTimeBudget.isZero()) {
            throw new IllegalArgumentException("punctuation time budget must be positive, got " + punctuationTimeBudget);
        }
        if (runRetention.isNegative() || runRetention.isZero()) {
            throw new IllegalArgumentException("run retention must be positive, got " + runRetention);
        }
    }

    public TickerConfig(Topics topics, Duration punctuateEvery, Duration misfireThreshold, int maxFiresPerPunctuation,
            int maxCatchupFiresPerJob, JobDefinitionParser.Defaults jobDefaults) {
        this(topics, punctuateEvery, misfireThreshold, maxFiresPerPunctuation, maxCatchupFiresPerJob, jobDefaults,
                DEFAULT_PUNCTUATION_TIME_BUDGET, DEFAULT_RUN_RETENTION);
    }

    public static TickerConfig defaults(Topics topics) {
        return new TickerConfig(topics, DEFAULT_PUNCTUATE_EVERY, Duration.ofMinutes(1), 50_000, 10_000,
                JobDefinitionParser.Defaults.standard());
    }

    public TickerConfig withPunctuateEvery(Duration every) {
        return new TickerConfig(topics, every, misfireThreshold, maxFiresPerPunctuation, maxCatchupFiresPerJob, jobDefaults,
                punctuationTimeBudget, runRetention);
    }

    public TickerConfig withMaxFiresPerPunctuation(int value) {
        return new TickerConfig(topics, punctuateEvery, misfireThreshold, value, maxCatchupFiresPerJob, jobDefaults,
                punctuationTimeBudget, runRetention);
    }

    public TickerConfig withPunctuationTimeBudget(Duration value) {
        return new TickerConfig(topics, punctuateEvery, misfireThreshold, maxFiresPerPunctuation, maxCatchupFiresPerJob,
                jobDefaults, value, runRetention);
    }

    public TickerConfig withRunRetention(Duration value) {
        return new TickerConfig(topics, punctuateEvery, misfireThreshold, maxFiresPerPunctuation, maxCatchupFiresPerJob,
                jobDefaults, punctuationTimeBudget, value);
    }
}
