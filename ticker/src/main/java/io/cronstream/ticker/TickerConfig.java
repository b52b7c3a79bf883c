package io.cronstream.ticker;

import io.cronstream.schemas.Topics;
import io.cronstream.ticker.job.JobDefinitionParser;
import java.time.Duration;
import java.util.Objects;

/**
 * @param punctuateEvery         how often due jobs are fired (wall clock); at least 100 ms
 * @param misfireThreshold       a fire time later than this is a misfire, handled by the job's misfire policy
 * @param maxFiresPerPunctuation bounds one punctuation (one transaction); the rest fire on the next one
 * @param maxCatchupFiresPerJob  bounds FIRE_ALL after a long downtime; the newest missed times are kept
 */
public record TickerConfig(
        Topics topics,
        Duration punctuateEvery,
        Duration misfireThreshold,
        int maxFiresPerPunctuation,
        int maxCatchupFiresPerJob,
        JobDefinitionParser.Defaults jobDefaults) {

    public TickerConfig {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(jobDefaults, "jobDefaults");
        if (punctuateEvery.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("ticker punctuation interval must be at least 100 ms, got " + punctuateEvery);
        }
        if (misfireThreshold.isNegative()) {
            throw new IllegalArgumentException("misfire threshold must not be negative");
        }
        if (maxFiresPerPunctuation < 1 || maxCatchupFiresPerJob < 1) {
            throw new IllegalArgumentException("fire limits must be at least 1");
        }
    }

    public static TickerConfig defaults(Topics topics) {
        return new TickerConfig(topics, Duration.ofSeconds(1), Duration.ofMinutes(1), 50_000, 10_000,
                JobDefinitionParser.Defaults.standard());
    }

    public TickerConfig withPunctuateEvery(Duration every) {
        return new TickerConfig(topics, every, misfireThreshold, maxFiresPerPunctuation, maxCatchupFiresPerJob, jobDefaults);
    }
}
