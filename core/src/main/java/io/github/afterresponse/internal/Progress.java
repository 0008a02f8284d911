package io.github.afterresponse.internal;

/** What a task reported of its progress: done and total, replaced together so a reader never sees one without the other. */
final class Progress {

    private volatile long[] value = {0, -1};

    /**
     * @throws IllegalArgumentException unless {@code 0 <= done <= total}, or {@code total} is -1 (unknown)
     */
    void set(long done, long total) {
        if (done < 0 || total < -1 || (total >= 0 && done > total)) {
            throw new IllegalArgumentException("progress must be 0 <= done <= total (or total -1 when unknown), "
                    + "but was " + done + "/" + total);
        }
        value = new long[] {done, total};
    }

    /** {done, total}; total is -1 when unknown. */
    long[] get() {
        return value;
    }
}
