package io.github.afterresponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** One filter instance serves one filter name; a refused second init leaves nothing of the first behind. */
class AfterResponseFilterTest {

    private static ServletContext context(String path, Map<String, Object> attributes) {
        return (ServletContext) Proxy.newProxyInstance(AfterResponseFilterTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "removeAttribute" -> attributes.remove((String) args[0]);
                    case "getContextPath" -> path;
                    case "getClassLoader" -> AfterResponseFilterTest.class.getClassLoader();
                    case "getServletRegistrations" -> Map.of();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "context " + path;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static FilterConfig config(String name, ServletContext context) {
        return (FilterConfig) Proxy.newProxyInstance(AfterResponseFilterTest.class.getClassLoader(),
                new Class<?>[] {FilterConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getFilterName" -> name;
                    case "getServletContext" -> context;
                    case "getInitParameterNames" -> Collections.emptyEnumeration();
                    case "getInitParameter" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /**
     * The instance registered in two contexts (a shared filter bean added to two embedded
     * contexts): the second init is refused, the first filter stops, and its own context no
     * longer publishes its monitor.
     */
    @Test
    void aRefusedSecondInitLeavesNoMonitorInTheFirstContext() throws Exception {
        Map<String, Object> firstAttributes = new ConcurrentHashMap<>();
        Map<String, Object> secondAttributes = new ConcurrentHashMap<>();
        ServletContext first = context("/first", firstAttributes);
        ServletContext second = context("/second", secondAttributes);
        AfterResponseFilter filter = new AfterResponseFilter(AfterResponseConfig.builder().jmx(false).build());
        filter.init(config("afterResponse", first));
        assertThat(AfterResponseMonitor.find(first, "afterResponse")).isPresent();

        assertThatThrownBy(() -> filter.init(config("afterResponse", second))).isInstanceOf(ServletException.class);

        assertThat(AfterResponseMonitor.find(first, "afterResponse"))
                .as("the stopped filter's monitor, still published in the first context").isEmpty();
    }
}
