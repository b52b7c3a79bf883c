package io.cronstream.bench;

import java.util.Locale;

/**
 * One figure of the results table: Cronstream's number and, where there is one, the baseline's
 * number measured in the same run.
 *
 * @param benchmark     which of the five benchmarks
 * @param figure        what was measured, with its size
 * @param value         Cronstream's number
 * @param unit          of both numbers
 * @param baseline      what Cronstream is compared with, or null
 * @param baselineValue the baseline's number, or null
 * @param detail        supporting numbers (counts, entries read, ...), or empty
 * @param load          the 1-minute load average when the figure was taken (the machine is shared); for a
 *                      baseline measured in a phase of its own, "Cronstream's / the baseline's"
 */
record Row(String benchmark, String figure, double value, String unit, String baseline, Double baselineValue,
        String detail, String load) {

    static Row of(String benchmark, String figure, double value, String unit, String detail) {
        return new Row(benchmark, figure, value, unit, null, null, detail, load(Machine.load1()));
    }

    /** {@code baselineValue} null: the baseline could not be run at this size (the notes say why). */
    static Row against(String benchmark, String figure, double value, String unit, String baseline,
            Double baselineValue, String detail) {
        return new Row(benchmark, figure, value, unit, baseline, baselineValue, detail, load(Machine.load1()));
    }

    /** The same row with the loads of the phases it was measured in (baseline's null: not run). */
    Row measuredAt(double cronstreamLoad, Double baselineLoad) {
        return new Row(benchmark, figure, value, unit, baseline, baselineValue, detail,
                load(cronstreamLoad) + (baselineLoad == null ? "" : " / " + load(baselineLoad)));
    }

    private static String load(double load) {
        return String.format(Locale.ROOT, "%.2f", load);
    }

    /** Cronstream ÷ baseline, or NaN without a baseline. */
    double ratio() {
        return baselineValue == null || baselineValue == 0 ? Double.NaN : value / baselineValue;
    }
}
