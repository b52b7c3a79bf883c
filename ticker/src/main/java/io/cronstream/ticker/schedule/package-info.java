/**
 * Time math: when does a schedule fire next. Cron in three dialects with Cronstream's
 * daylight-saving rule, fixed intervals, one-off times, and the job window
 * ({@code startAt}/{@code endAt}/{@code maxRuns}) on top. Pure functions of their inputs;
 * the ticker and the API's "next fire times" share them so both always agree.
 */
package io.cronstream.ticker.schedule;
