package io.github.afterresponse.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * A lock-free histogram of durations in nanoseconds, for the server-side delays {@code /stats}
 * reports (hand-off to the task's thread, gap between two requests on one connection). Buckets are
 * log-linear: 16 linear sub-buckets per power of two, so a percentile is known to within 1/16
 * (about 6 %) of its value — enough to tell 0.1 ms from 10 ms. Recording is one array increment,
 * cheap enough to leave on under load.
 *
 * <p>{@link #reset()} is not atomic with concurrent {@link #record}s: a few values recorded during
 * the reset may land on either side, which does not matter for percentiles over thousands.
 */
final class Histogram {

    private static final int SUB_BITS = 4;
    private static final int SUB = 1 << SUB_BITS;
    /** Powers of two up to 2^40 ns (about 18 minutes); longer values land in the last bucket. */
    private static final int BUCKETS = (41 - SUB_BITS + 1) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    void record(long nanos) {
        long value = Math.max(0, nanos);
        counts.incrementAndGet(index(value));
        max.accumulate(value);
    }

    void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
        max.reset();
    }

    long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    long max() {
        return max.get();
    }

    /**
     * The value below which {@code percent} % of the recorded values lie: the upper bound of the
     * bucket holding that rank (never above the maximum seen); 0 when nothing was recorded.
     */
    long percentile(double percent) {
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            total += snapshot[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(total * percent / 100.0);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= Math.max(1, rank)) {
                return Math.min(upperBound(i), max());
            }
        }
        return max();
    }

    /** Values below 2^SUB_BITS have a bucket each; above, 16 buckets per power of two. */
    static int index(long value) {
        if (value < SUB) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value); // >= SUB_BITS
        int sub = (int) (value >>> (exponent - SUB_BITS)) & (SUB - 1);
        int index = (exponent - SUB_BITS + 1) * SUB + sub;
        return Math.min(index, BUCKETS - 1);
    }

    /** The largest value that lands in bucket {@code index}. */
    static long upperBound(int index) {
        if (index < SUB) {
            return index;
        }
        int exponent = index / SUB - 1 + SUB_BITS;
        long sub = index % SUB;
        long low = (SUB + sub) << (exponent - SUB_BITS);
        return low + (1L << (exponent - SUB_BITS)) - 1;
    }
}
