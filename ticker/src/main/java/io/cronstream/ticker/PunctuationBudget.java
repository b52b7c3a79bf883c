package io.cronstream.ticker;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How long the ticker's punctuations may run before they stop and leave the rest to the next ones.
 *
 * <p>Shared by all ticker tasks of one application: the tasks of a stream thread punctuate one after
 * another inside the same exactly-once transaction, so each thread has one deadline for all of them,
 * started by the first punctuation after the previous deadline passed. The transaction therefore spends
 * at most the budget (plus one fire per task, so that every task always advances) in ticker punctuations.
 */
final class PunctuationBudget {

    private final LongSupplier nanoClock;
    private final long budgetNanos;
    private final ThreadLocal<long[]> deadline = ThreadLocal.withInitial(() -> new long[1]);
    private final ThreadLocal<Boolean> started = ThreadLocal.withInitial(() -> false);

    /** @param nanoClock {@code System::nanoTime}, or a test's clock */
    PunctuationBudget(LongSupplier nanoClock, Duration budget) {
        this.nanoClock = nanoClock;
        this.budgetNanos = budget.toNanos();
    }

    /** Called when a punctuation starts: opens a new deadline on this thread unless the current one still runs. */
    void start() {
        long now = nanoClock.getAsLong();
        if (!started.get() || now - deadline.get()[0] > 0) {
            deadline.get()[0] = now + budgetNanos;
            started.set(true);
        }
    }

    boolean spent() {
        return nanoClock.getAsLong() - deadline.get()[0] > 0;
    }
}
