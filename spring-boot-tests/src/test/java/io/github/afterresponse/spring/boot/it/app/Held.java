package io.github.afterresponse.spring.boot.it.app;

import io.github.afterresponse.Completion;
import io.github.afterresponse.TaskContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Work the tests hold and release, by key: what each task saw of its thread, its task context,
 * and its completion. Static, since the application and the test share one JVM.
 */
public final class Held {

    /** What a task saw on its thread. */
    public record Seen(String thread, boolean virtual, Map<String, String> mdc, String user,
            String traceId) {}

    /** One held piece of work. */
    public static final class Entry {
        private final CountDownLatch release = new CountDownLatch(1);
        public final CountDownLatch entered = new CountDownLatch(1);
        public final CompletableFuture<TaskContext> task = new CompletableFuture<>();
        public final CompletableFuture<Seen> seen = new CompletableFuture<>();
        public final CompletableFuture<Completion> completion = new CompletableFuture<>();
        public volatile String exchangeId;
        public volatile String requestThread;

        public void release() {
            release.countDown();
        }

        /** Waits for the test's release, at most 30 s; interruptible (the shutdown interrupts). */
        void awaitRelease() throws InterruptedException {
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        }
    }

    private static final Map<String, Entry> ENTRIES = new ConcurrentHashMap<>();

    private Held() {}

    public static Entry entry(String key) {
        return ENTRIES.computeIfAbsent(key, k -> new Entry());
    }

    /** Lets every held piece of work go, and forgets them. */
    public static void releaseAll() {
        ENTRIES.values().forEach(Entry::release);
        ENTRIES.clear();
    }
}
