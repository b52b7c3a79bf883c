package io.cronstream.ticker;

import io.cronstream.schemas.InvalidRecordException;
import io.cronstream.streams.JobPresence;
import io.cronstream.ticker.job.JobDefinitionParser;
import io.cronstream.ticker.job.ParsedJob;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads the same job records as {@link JobDefinitionProcessor} and says, keyed by job id, whether each one
 * defines or removes its job, so the progress side learns of deletions without a public topic. A record the
 * parser refuses says nothing here: {@link JobDefinitionProcessor} dead-letters it.
 */
final class JobPresenceProcessor implements Processor<byte[], byte[], String, JobPresence> {

    private final JobDefinitionParser parser;
    private ProcessorContext<String, JobPresence> context;

    JobPresenceProcessor(TickerConfig config) {
        this.parser = new JobDefinitionParser(config.jobDefaults());
    }

    @Override
    public void init(ProcessorContext<String, JobPresence> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        ParsedJob parsed;
        try {
            parsed = parser.parse(record.key(), record.value(), now);
        } catch (InvalidRecordException refused) {
            return;
        }
        JobPresence presence = parsed instanceof ParsedJob.Deleted
                ? JobPresence.removed(parsed.jobId(), now) : JobPresence.defined(parsed.jobId(), now);
        context.forward(new Record<>(parsed.jobId(), presence, record.timestamp()));
    }
}
