package io.cronstream.bench;

import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * The baseline for the ticker: Quartz with its in-memory {@code RAMJobStore}, the same job set as cron
 * triggers, and a job that does nothing but note when it ran. RAMJobStore keeps nothing across a
 * restart and has no exactly-once output: it is the fastest Quartz there is, not an equivalent.
 */
final class QuartzBaseline implements AutoCloseable {

    /** Threads Quartz runs jobs on; 10 is Quartz's own example configuration. */
    static final int THREADS = 10;

    private final Scheduler scheduler;
    private final Executions executions;

    private QuartzBaseline(Scheduler scheduler, Executions executions) {
        this.scheduler = scheduler;
        this.executions = executions;
    }

    /** When each fire was due and when its job started, recorded from the job threads without locks. */
    static final class Executions {
        private final long[] scheduledMillis;
        private final long[] startedMicros;
        private final AtomicInteger next = new AtomicInteger();

        Executions(int capacity) {
            scheduledMillis = new long[capacity];
            startedMicros = new long[capacity];
        }

        void record(long scheduled, long started) {
            int i = next.getAndIncrement();
            if (i < scheduledMillis.length) {
                scheduledMillis[i] = scheduled;
                startedMicros[i] = started;
            }
        }

        int count() {
            return Math.min(next.get(), scheduledMillis.length);
        }

        long scheduledMillis(int i) {
            return scheduledMillis[i];
        }

        long startedMicros(int i) {
            return startedMicros[i];
        }
    }

    /** Creates a scheduler in standby; {@link #start()} lets it fire. */
    static QuartzBaseline create(String name, int capacity) throws SchedulerException {
        Properties props = new Properties();
        props.put("org.quartz.scheduler.instanceName", name);
        props.put("org.quartz.scheduler.skipUpdateCheck", "true");
        props.put("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        props.put("org.quartz.threadPool.threadCount", String.valueOf(THREADS));
        props.put("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        props.put("org.quartz.jobStore.misfireThreshold", "60000");
        // Quartz's throughput setting: acquire up to one trigger per thread per scheduler loop.
        props.put("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", String.valueOf(THREADS));
        Scheduler scheduler = new StdSchedulerFactory(props).getScheduler();
        Executions executions = new Executions(capacity);
        Job noOp = context -> executions.record(context.getScheduledFireTime().getTime(), nowMicros());
        // One stateless instance for every fire: Quartz's default factory would reflectively create one per fire.
        scheduler.setJobFactory((bundle, s) -> noOp);
        return new QuartzBaseline(scheduler, executions);
    }

    void schedule(JobSet.Job job) throws SchedulerException {
        JobDetail detail = JobBuilder.newJob(NoOp.class).withIdentity(job.id()).build();
        TriggerBuilder<Trigger> trigger = TriggerBuilder.newTrigger().withIdentity(job.id());
        if (job.startAt() != null) {
            trigger.startAt(Date.from(job.startAt()));
        } else {
            trigger.startNow();
        }
        scheduler.scheduleJob(detail, trigger
                .withSchedule(CronScheduleBuilder.cronSchedule(job.quartzCron())
                        .inTimeZone(TimeZone.getTimeZone(job.zone())))
                .build());
    }

    void start() throws SchedulerException {
        scheduler.start();
    }

    Executions executions() {
        return executions;
    }

    @Override
    public void close() throws SchedulerException {
        scheduler.shutdown(false);
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** Names the job class in each JobDetail; the job factory supplies the instance that runs. */
    public static final class NoOp implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            // never runs: the factory hands Quartz the recording instance instead
        }
    }
}
