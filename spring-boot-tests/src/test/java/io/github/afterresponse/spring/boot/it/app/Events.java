package io.github.afterresponse.spring.boot.it.app;

import io.github.afterresponse.Completion;
import io.github.afterresponse.CompletionCallback;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The order of things, as the application saw them: every completion (this bean is a
 * {@link CompletionCallback}, so the auto-configuration tells it of each exchange), the servlet
 * context's end and the beans' destruction.
 */
@Component
public class Events implements CompletionCallback, ServletContextListener, DisposableBean {

    private static final ConcurrentLinkedQueue<String> EVENTS = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<Completion> COMPLETIONS = new ConcurrentLinkedQueue<>();

    public static void add(String event) {
        EVENTS.add(event);
    }

    public static List<String> all() {
        return List.copyOf(EVENTS);
    }

    public static List<Completion> completions() {
        return List.copyOf(COMPLETIONS);
    }

    public static void clear() {
        EVENTS.clear();
        COMPLETIONS.clear();
    }

    @Override
    public void onComplete(Completion completion) {
        COMPLETIONS.add(completion);
        add("completion " + completion.exchangeId() + " " + completion.outcome());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        add("servlet context destroyed");
    }

    @Override
    public void destroy() {
        add("beans destroyed");
    }
}
