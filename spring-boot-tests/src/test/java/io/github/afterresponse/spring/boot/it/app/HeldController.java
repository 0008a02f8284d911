package io.github.afterresponse.spring.boot.it.app;

import io.github.afterresponse.AfterResponse;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Background work the tests hold: it records what its thread carries, then waits to be released. */
@RestController
public class HeldController {

    private static final Logger LOG = LoggerFactory.getLogger(HeldController.class);

    private final ObjectProvider<Tracer> tracer;

    public HeldController(ObjectProvider<Tracer> tracer) {
        this.tracer = tracer;
    }

    @GetMapping({"/held", "/secure/held", "/outside/held"})
    public String held(@RequestParam String key, HttpServletRequest request) {
        Optional<AfterResponse> found = AfterResponse.find(request);
        if (found.isEmpty()) {
            return "not filtered\n";
        }
        Held.Entry entry = Held.entry(key);
        AfterResponse exchange = found.get();
        entry.exchangeId = exchange.exchangeId();
        entry.requestThread = Thread.currentThread().getName();
        exchange.then(task -> {
            Held.Seen seen = seen();
            LOG.info("task {} runs", key);
            entry.seen.complete(seen);
            entry.task.complete(task);
            entry.awaitRelease();
        }).onComplete(entry.completion::complete);
        return exchange.exchangeId() + "\n";
    }

    /** A request that stays in its controller until released: in progress while Boot drains. */
    @GetMapping("/foreground")
    public String foreground(@RequestParam String key) throws InterruptedException {
        Held.Entry entry = Held.entry(key);
        entry.entered.countDown();
        entry.awaitRelease();
        Events.add("foreground request returned");
        return "done\n";
    }

    private Held.Seen seen() {
        Thread thread = Thread.currentThread();
        boolean virtual;
        try {
            virtual = (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (ReflectiveOperationException e) {
            virtual = false; // Java 17
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        Tracer current = tracer.getIfAvailable();
        Span span = current == null ? null : current.currentSpan();
        return new Held.Seen(thread.getName(), virtual, MDC.getCopyOfContextMap(),
                authentication == null ? null : authentication.getName(),
                span == null ? null : span.context().traceId());
    }
}
