/**
 * The ticker sub-topology (DESIGN §5): job definitions and commands in, exactly-once due events
 * out. {@link io.cronstream.ticker.JobDefinitionProcessor} keeps {@code ticker-jobs} and the
 * {@code ticker-schedule} index current and, on a wall-clock punctuation, fires what is due;
 * {@link io.cronstream.ticker.TriggerProcessor} turns manual triggers into due events.
 * {@link io.cronstream.ticker.FirePlan} decides, without Kafka, which fire times to emit.
 */
package io.cronstream.ticker;
