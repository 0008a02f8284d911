package io.github.afterresponse.spring.boot.internal;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.Completion;
import io.github.afterresponse.CompletionCallback;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The auto-configured filter: tells every {@link CompletionCallback} bean how each exchange ended,
 * after the exchange's own callbacks, on the thread {@link CompletionCallback} describes (the thread
 * that finished the exchange). The beans are looked up at the first completion, in their
 * {@code @Order}; one that throws is logged and the others still run.
 */
public class BootAfterResponseFilter extends AfterResponseFilter {

    private static final Log LOG = LogFactory.getLog(BootAfterResponseFilter.class);

    private final String name;
    private final ObjectProvider<CompletionCallback> callbackBeans;
    private final @Nullable AfterResponseMetrics metrics;
    private volatile @Nullable List<CompletionCallback> callbacks;

    public BootAfterResponseFilter(AfterResponseConfig config, String name, ObjectProvider<CompletionCallback> callbacks,
            @Nullable AfterResponseMetrics metrics) {
        super(config);
        this.name = name;
        this.callbackBeans = callbacks;
        this.metrics = metrics;
    }

    @Override
    protected void afterCompletion(Completion completion) {
        AfterResponseMetrics meters = metrics;
        if (meters != null) {
            meters.record(name, completion);
        }
        List<CompletionCallback> current = callbacks;
        if (current == null) {
            current = callbackBeans.orderedStream().toList();
            callbacks = current;
        }
        for (CompletionCallback callback : current) {
            try {
                callback.onComplete(completion);
            } catch (Exception | LinkageError | AssertionError e) {
                LOG.warn("After Response: CompletionCallback bean " + callback + " failed for exchange "
                        + completion.exchangeId(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "BootAfterResponseFilter '" + name + "'";
    }
}
