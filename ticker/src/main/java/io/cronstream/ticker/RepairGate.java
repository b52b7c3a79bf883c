package io.cronstream.ticker;

import io.cronstream.ticker.job.JobDefinitionParser;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * In front of the job processors: lets every record of the jobs topic through except a {@link JobRepair} that is
 * stale, one whose job has had another record applied since the reconciliation looked, or that was read from
 * MongoDB longer than {@link JobRepair#MAX_AGE} ago. Everything else reaches the processors exactly as it came.
 */
final class RepairGate implements Processor<byte[], byte[], byte[], byte[]> {

    private ProcessorContext<byte[], byte[]> context;
    private JobSources sources;

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.sources = new JobSources(context);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Long expected = JobRepair.expectedPosition(record.headers());
        if (expected == null) {
            context.forward(record);
            return;
        }
        String jobId = JobDefinitionParser.routingId(record.key(), record.value());
        long found = jobId == null ? JobSource.NONE : sources.position(jobId);
        Instant readAt = JobRepair.readAt(record.headers());
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        if (jobId == null || found != expected || readAt.isBefore(now.minus(JobRepair.MAX_AGE))) {
            JobLog.repairStale(jobId, expected, found, readAt);
            return;
        }
        context.forward(record);
    }
}
