package io.github.afterresponse.spring.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code capture()} never throws while the application registers or replaces accessors in the
 * global registry: it compares and copies one snapshot of the registry's list, so an exchange
 * never loses its whole Micrometer context (MDC, trace, security) to a race.
 */
class MicrometerCopyRaceTest {

    private static final String KEY = "review.race";

    @Test
    void captureDoesNotThrowWhileTheGlobalRegistryChanges() throws Exception {
        ThreadLocal<String> local = new ThreadLocal<>();
        ThreadLocalAccessor<String> accessor = new ThreadLocalAccessor<>() {
            @Override
            public Object key() {
                return KEY;
            }

            @Override
            public String getValue() {
                return local.get();
            }

            @Override
            public void setValue(String value) {
                local.set(value);
            }

            @Override
            public void setValue() {
                local.remove();
            }
        };
        MicrometerContextPropagator propagator = new MicrometerContextPropagator();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread churn = new Thread(() -> {
            while (!done.get()) {
                ContextRegistry.getInstance().registerThreadLocalAccessor(accessor);
                ContextRegistry.getInstance().removeThreadLocalAccessor(KEY);
            }
        });
        churn.start();
        long end = System.nanoTime() + 5_000_000_000L;
        try {
            while (System.nanoTime() < end && thrown.get() == null) {
                try {
                    propagator.capture();
                } catch (RuntimeException e) {
                    thrown.set(e);
                }
            }
        } finally {
            done.set(true);
            churn.join();
            ContextRegistry.getInstance().removeThreadLocalAccessor(KEY);
        }
        assertThat(thrown.get()).as("what capture() threw while another thread registered and removed an accessor")
                .isNull();
    }
}
