package io.cronstream.bench;

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
 * @param load          the 1-minute load average when the figure was taken (the machine is shared)
 */
record Row(String benchmark, String figure, double value, String unit, String baseline, Double baselineValue,
        String detail, double load) {

    static Row of(String benchmark, String figure, double value, String unit, String detail) {
        return new Row(benchmark, figure, value, unit, null, null, detail, Machine.load1());
    }

    /** {@code baselineValue} null: the baseline could not be run at this size (the notes say why). */
    static Row against(String benchmark, String figure, double value, String unit, String baseline,
            Double baselineValue, String detail) {
        return new Row(benchmark, figure, value, unit, baseline, baselineValue, detail, Machine.load1());
    }

    /** Cronstream ÷ baseline, or NaN without a baseline. */
    double ratio() {
        return baselineValue == null || baselineValue == 0 ? Double.NaN : value / baselineValue;
    }
}
