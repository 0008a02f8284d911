package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static io.github.afterresponse.it.Deployment.FILTER_NAME;
import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.AfterResponseMonitor;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.ExchangeState;
import io.github.afterresponse.TaskInfo;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.awaitility.Awaitility;

/**
 * The live figures of a filter, seen three ways that agree: {@code filter.monitor()},
 * {@link AfterResponseMonitor#of} through the servlet context, and the MXBean in the platform MBean
 * server. A held exchange shows up in {@code tasks()} as RUNNING with its id, age and reported
 * progress; its end moves the counters; stopping the web application takes the MXBean and the
 * context attribute away; {@code jmx=false} registers nothing.
 */
class MonitorIT {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private static Set<ObjectName> registeredViews() throws Exception {
        return JMX.queryNames(new ObjectName("io.github.afterresponse:type=AfterResponseFilter,*"), null);
    }

    /** The views registered since {@code before} was taken: those of the deployment under test. */
    private static Set<ObjectName> newViews(Set<ObjectName> before) throws Exception {
        Set<ObjectName> added = new HashSet<>(registeredViews());
        added.removeAll(before);
        return added;
    }

    private static String key(ObjectName name, String key) {
        String value = name.getKeyProperty(key);
        return value != null && value.startsWith("\"") ? ObjectName.unquote(value) : value;
    }

    /** A servlet whose exchange reports progress 3 of 10, then holds its thread until released. */
    private static Handler heldJob(HeldTask held, List<String> exchangeIds) {
        return (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request);
            exchangeIds.add(exchange.exchangeId());
            exchange.then(task -> task.progress(3, 10));
            held.registerOn(exchange);
            response.getWriter().print("accepted");
        };
    }

    /** Notes, when the context is destroyed (after the filter's destroy), whether the monitor was still published. */
    private static final class ContextEnd implements ServletContextListener {
        final AtomicReference<Object> monitorAtDestroy = new AtomicReference<>("contextDestroyed never ran");

        @Override
        public void contextDestroyed(ServletContextEvent event) {
            monitorAtDestroy.set(event.getServletContext().getAttribute(AfterResponseMonitor.attributeName(FILTER_NAME)));
        }
    }

    @EveryContainer
    void showsTheRunningExchangeThenCountsItsEnd(Container container) throws Exception {
        HeldTask held = new HeldTask();
        List<String> exchangeIds = new CopyOnWriteArrayList<>();
        ContextEnd contextEnd = new ContextEnd();
        Deployment app = Deployment.on(container).servlet("/job", heldJob(held, exchangeIds));
        app.app.listener(contextEnd);
        Set<ObjectName> before = registeredViews();
        try (app) {
            app.start();
            ServletContext context = app.server().servletContext();
            assertThat(app.get("/job").statusCode()).isEqualTo(200);
            await(held.started, "the held task");
            AfterResponseMonitor monitor = app.monitor();

            Awaitility.await().atMost(TIMEOUT).until(
                    () -> monitor.tasks().size() == 1 && monitor.tasks().get(0).done() == 3);
            Awaitility.await().atMost(TIMEOUT).until(() -> monitor.tasks().get(0).age().compareTo(Duration.ZERO) > 0);
            TaskInfo running = monitor.tasks().get(0);
            assertThat(running.exchangeId()).isEqualTo(exchangeIds.get(0));
            assertThat(running.state()).isEqualTo(ExchangeState.RUNNING);
            assertThat(running.isQueued()).isFalse();
            assertThat(running.method()).isEqualTo("GET");
            assertThat(running.requestUri()).isEqualTo("/job");
            assertThat(running.startedAt()).isPresent();
            assertThat(running.age()).isPositive();
            assertThat(running.done()).isEqualTo(3);
            assertThat(running.total()).isEqualTo(10);
            assertThat(running.status()).isEqualTo(ConnectionStatus.NORMAL);
            assertThat(running.toString()).contains(running.exchangeId(), "RUNNING", "GET /job", "progress 3/10");
            assertFigures(monitor, 1, 1, 0);

            AfterResponseMonitor viaContext = AfterResponseMonitor.of(context, FILTER_NAME);
            assertThat(viaContext.filterName()).isEqualTo(FILTER_NAME);
            assertFigures(viaContext, 1, 1, 0);
            assertThat(viaContext.tasks()).extracting(TaskInfo::exchangeId).containsExactly(running.exchangeId());

            Set<ObjectName> views = newViews(before);
            assertThat(views).as("the views registered by this deployment").hasSize(1);
            ObjectName view = views.iterator().next();
            assertThat(key(view, "context")).isEqualTo("ROOT");
            assertThat(key(view, "name")).isEqualTo(FILTER_NAME);
            assertThat(JMX.getAttribute(view, "Running")).isEqualTo(1);
            assertThat(JMX.getAttribute(view, "Queued")).isEqualTo(0);
            assertThat(JMX.getAttribute(view, "Accepted")).isEqualTo(1L);
            assertThat(JMX.getAttribute(view, "Completed")).isEqualTo(0L);
            assertThat((String[]) JMX.getAttribute(view, "Tasks")).singleElement().asString()
                    .startsWith(running.exchangeId() + " RUNNING GET /job")
                    .contains("progress 3/10");
            assertThat((String) JMX.getAttribute(view, "Configuration")).startsWith("AfterResponseConfig[")
                    .contains("executor=" + System.getProperty("it.executor", "container"), "jmx=true");

            held.release.countDown();
            await(held.done, "the held exchange's end");
            Awaitility.await().atMost(TIMEOUT).until(() -> monitor.completed() == 1 && monitor.running() == 0);
            assertThat(monitor.tasks()).isEmpty();
            assertFigures(monitor, 0, 1, 1);
            assertFigures(viaContext, 0, 1, 1);
            assertThat(monitor.failed() + monitor.cancelled() + monitor.aborted() + monitor.timedOut()
                    + monitor.shutDown() + monitor.rejected()).isZero();
            assertThat(JMX.getAttribute(view, "Running")).isEqualTo(0);
            assertThat(JMX.getAttribute(view, "Accepted")).isEqualTo(1L);
            assertThat(JMX.getAttribute(view, "Completed")).isEqualTo(1L);
            assertThat((String[]) JMX.getAttribute(view, "Tasks")).isEmpty();

            app.stop();

            assertThat(JMX.isRegistered(view)).as("registered after the server stopped").isFalse();
            assertThat(newViews(before)).isEmpty();
            assertThat(contextEnd.monitorAtDestroy.get()).as("the monitor attribute when the context was destroyed")
                    .isNull();
            assertThat(AfterResponseMonitor.find(context, FILTER_NAME)).isEmpty();
        }
    }

    private static void assertFigures(AfterResponseMonitor monitor, int running, long accepted, long completed) {
        assertThat(monitor.running()).as("running").isEqualTo(running);
        assertThat(monitor.queued()).as("queued").isZero();
        assertThat(monitor.accepted()).as("accepted").isEqualTo(accepted);
        assertThat(monitor.completed()).as("completed").isEqualTo(completed);
    }

    @EveryContainer
    void jmxFalseRegistersNothing(Container container) throws Exception {
        HeldTask held = new HeldTask();
        List<String> exchangeIds = new CopyOnWriteArrayList<>();
        Deployment app = Deployment.on(container, Map.of("jmx", "false")).servlet("/job", heldJob(held, exchangeIds));
        Set<ObjectName> before = registeredViews();
        try (app) {
            app.start();
            app.get("/job");
            await(held.started, "the held task");

            assertThat(newViews(before)).as("views registered with jmx=false").isEmpty();
            AfterResponseMonitor monitor = AfterResponseMonitor.of(app.server().servletContext(), FILTER_NAME);
            assertThat(monitor.tasks()).extracting(TaskInfo::exchangeId).containsExactly(exchangeIds.get(0));

            held.release.countDown();
            await(held.done, "the held exchange's end");
            Awaitility.await().atMost(TIMEOUT).until(() -> monitor.completed() == 1);
        }
    }

    /**
     * With many exchanges waiting, {@code tasks()} lists a hundred: the running ones first, then
     * those that will run next (a cost bounded by what is asked, not by the queue); {@code tasks(n)}
     * n; and the JMX view ends with a line saying how many more there are.
     */
    @EveryContainer
    void listingTheWorkIsBoundedRunningFirst(Container container) throws Exception {
        int exchanges = AfterResponseMonitor.DEFAULT_TASKS + 5;
        CountDownLatch release = new CountDownLatch(1);
        List<String> exchangeIds = new CopyOnWriteArrayList<>();
        Set<ObjectName> before = registeredViews();
        try (Deployment app = Deployment.on(container, Map.of("max-running", "2", "queue-capacity", "200",
                "connection-close", "false")).servlet("/job", (request, response) -> {
                    AfterResponse exchange = AfterResponse.of(request);
                    exchangeIds.add(exchange.exchangeId());
                    exchange.then(task -> Await.hold(release));
                }).start()) {
            try {
                for (int i = 0; i < exchanges; i++) {
                    assertThat(app.get("/job").statusCode()).isEqualTo(200);
                }
                AfterResponseMonitor monitor = app.monitor();
                Awaitility.await().atMost(TIMEOUT).until(() -> monitor.running() == 2
                        && monitor.queued() == exchanges - 2);
                // The queue runs in the order the work was handed over, which may differ a little
                // from the order of acceptance (a response reaches the client before its work is
                // queued): FilterMonitorTest pins the order; here, the bound and the split.
                List<TaskInfo> listed = monitor.tasks();
                assertThat(listed).hasSize(AfterResponseMonitor.DEFAULT_TASKS);
                assertThat(listed).extracting(TaskInfo::exchangeId).doesNotHaveDuplicates()
                        .isSubsetOf(exchangeIds);
                assertThat(listed.subList(0, 2)).extracting(TaskInfo::isQueued).containsOnly(false);
                assertThat(listed.subList(0, 2)).extracting(TaskInfo::acceptedAt).isSorted();
                assertThat(listed.subList(2, listed.size())).extracting(TaskInfo::isQueued).containsOnly(true);
                assertThat(monitor.tasks(3)).extracting(TaskInfo::isQueued).containsExactly(false, false, true);
                assertThat(monitor.tasks(0)).isEmpty();
                ObjectName view = newViews(before).iterator().next();
                String[] lines = (String[]) JMX.getAttribute(view, "Tasks");
                assertThat(lines).hasSize(AfterResponseMonitor.DEFAULT_TASKS + 1);
                assertThat(lines[AfterResponseMonitor.DEFAULT_TASKS]).isEqualTo("... and 5 more");
            } finally {
                release.countDown();
            }
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == exchanges);
        }
    }
}
