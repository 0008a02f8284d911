package io.github.afterresponse.bench.jmh;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The servlet context and filter config the filter's {@code init} needs, as dynamic proxies: the
 * filter reads them when it starts (servlet registrations, class loader, its monitor attribute)
 * and, in this benchmark, not per request, so their speed does not matter. Any other call throws
 * {@link UnsupportedOperationException}.
 */
final class StubContext {

    private StubContext() {}

    /** A context with no servlet registrations, an attribute map and this class's loader. */
    static ServletContext context() {
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        ClassLoader loader = StubContext.class.getClassLoader();
        return (ServletContext) Proxy.newProxyInstance(loader, new Class<?>[] {ServletContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getServletRegistrations" -> Map.of();
                    case "getServletRegistration" -> null;
                    case "getClassLoader" -> loader;
                    case "getContextPath" -> "";
                    case "getServerInfo" -> "after-response-jmh stub";
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> {
                        attributes.put((String) args[0], args[1]);
                        yield null;
                    }
                    case "removeAttribute" -> {
                        attributes.remove((String) args[0]);
                        yield null;
                    }
                    case "getAttributeNames" -> Collections.enumeration(attributes.keySet());
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "StubContext";
                    default -> throw new UnsupportedOperationException("ServletContext." + method.getName()
                            + " is not part of the benchmark's stub context");
                });
    }

    /** The config of a filter named {@code name} in {@code context}, with no init-params. */
    static FilterConfig filterConfig(String name, ServletContext context) {
        return (FilterConfig) Proxy.newProxyInstance(StubContext.class.getClassLoader(),
                new Class<?>[] {FilterConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getFilterName" -> name;
                    case "getServletContext" -> context;
                    case "getInitParameter" -> null;
                    case "getInitParameterNames" -> Collections.emptyEnumeration();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "StubFilterConfig[" + name + "]";
                    default -> throw new UnsupportedOperationException("FilterConfig." + method.getName());
                });
    }
}
