package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whose interrupt is whose: the toolkit's never reaches the pool after the tasks; someone else's
 * is reported, so it can be given back, when it can be told apart.
 */
class WorkerThreadTest {

    @AfterEach
    void clear() {
        Thread.interrupted();
    }

    @Test
    void theToolkitsInterruptIsClearedAndNotReported() {
        WorkerThread worker = new WorkerThread();
        worker.attach();
        worker.interrupt(); // the time limit, say
        assertThat(worker.detach()).isFalse();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void someoneElsesInterruptIsClearedAndReported() {
        WorkerThread worker = new WorkerThread();
        worker.attach();
        Thread.currentThread().interrupt(); // the application cancels the task, or the container stops its pool
        assertThat(worker.detach()).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).as("held back until the thread returns").isFalse();
    }

    @Test
    void someoneElsesInterruptBeforeTheToolkitsIsReported() {
        WorkerThread worker = new WorkerThread();
        worker.attach();
        Thread.currentThread().interrupt(); // the container stops its pool
        worker.interrupt(); // then the time limit runs out
        assertThat(worker.detach()).isTrue();
    }

    /**
     * After the toolkit interrupted the thread, an interrupt status found at the end cannot be
     * told from a task that kept the toolkit's (the restore-the-flag idiom): it counts as the
     * toolkit's, since that one must never reach the pool.
     */
    @Test
    void afterTheToolkitsInterruptALaterOneCountsAsTheToolkits() {
        WorkerThread worker = new WorkerThread();
        worker.attach();
        worker.interrupt();
        Thread.interrupted(); // the task caught it
        Thread.currentThread().interrupt(); // restored by the task, or sent by someone else: no telling
        assertThat(worker.detach()).isFalse();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
