package io.cronstream.ticker.job;

/** What a record on the jobs topic says: here is a definition, or this job is gone. */
public sealed interface ParsedJob {

    String jobId();

    record Defined(JobDefinition definition) implements ParsedJob {
        @Override
        public String jobId() {
            return definition.jobId();
        }
    }

    record Deleted(String jobId) implements ParsedJob {
    }
}
