package io.github.afterresponse.testkit;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EventListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A container-neutral, mutable description of a web application to deploy programmatically with
 * {@link Container#start(WebApp)}.
 *
 * <p>Servlets, filters and listeners are given as <em>instances</em> and are used as given by every
 * container. All of them are initialised eagerly when the server starts (servlets in registration
 * order, as if they had {@code load-on-startup}), so an {@code init} that throws makes
 * {@link Container#start(WebApp)} throw. Filters are mapped for {@code DispatcherType.REQUEST} only
 * and apply in registration order.
 */
public final class WebApp {

    /** A servlet registration. */
    record ServletSpec(String name, Servlet servlet, boolean asyncSupported, boolean multipart, List<String> urlPatterns) {
    }

    /** A filter registration. */
    record FilterSpec(String name, Filter filter, Map<String, String> initParams, boolean asyncSupported,
                      List<String> urlPatterns) {
    }

    /** An error page for a status code. */
    record ErrorPageSpec(int status, String location) {
    }

    private String contextPath = "";
    private final List<ServletSpec> servlets = new ArrayList<>();
    private final List<FilterSpec> filters = new ArrayList<>();
    private final List<EventListener> listeners = new ArrayList<>();
    private final List<Class<? extends ServletContainerInitializer>> initializers = new ArrayList<>();
    private final Map<String, String> contextParams = new LinkedHashMap<>();
    private boolean gzip;
    private final List<ErrorPageSpec> errorPages = new ArrayList<>();

    private WebApp() {
    }

    /** Returns an empty application deployed at the root context. */
    public static WebApp create() {
        return new WebApp();
    }

    /**
     * Sets the context path: {@code ""} (the default) for the root context, otherwise a path such as
     * {@code "/app"} (leading slash, no trailing slash).
     */
    public WebApp contextPath(String contextPath) {
        Objects.requireNonNull(contextPath, "contextPath");
        if (contextPath.equals("/")) {
            contextPath = "";
        }
        if (!contextPath.isEmpty() && (!contextPath.startsWith("/") || contextPath.endsWith("/"))) {
            throw new IllegalArgumentException("context path must be \"\" or start (and not end) with '/': " + contextPath);
        }
        this.contextPath = contextPath;
        return this;
    }

    /** Sets a context-param ({@code <context-param>} in web.xml). */
    public WebApp contextParam(String name, String value) {
        contextParams.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    Map<String, String> contextParams() {
        return Collections.unmodifiableMap(contextParams);
    }

    /**
     * Turns on the container's own response compression for clients that accept gzip, as a user
     * configures it: Jetty's {@code GzipHandler} around the context, Tomcat's connector
     * {@code compression="on"} (with a 256-byte minimum), Undertow's {@code EncodingHandler}.
     */
    public WebApp gzip() {
        gzip = true;
        return this;
    }

    boolean isGzip() {
        return gzip;
    }

    /**
     * Registers a {@code ServletContainerInitializer}, as a container that discovers them through
     * {@code META-INF/services} would: it runs when the application starts, after the servlets and
     * filters registered here are known, with an empty set of handled types. On Undertow, which
     * discovers none, this is the manual registration a user writes
     * ({@code new ServletContainerInitializerInfo(type, Set.of())}).
     */
    public WebApp initializer(Class<? extends ServletContainerInitializer> type) {
        initializers.add(Objects.requireNonNull(type, "type"));
        return this;
    }

    List<Class<? extends ServletContainerInitializer>> initializers() {
        return Collections.unmodifiableList(initializers);
    }

    /** A new instance of an initializer, as containers create them (public no-argument constructor). */
    static ServletContainerInitializer instantiate(Class<? extends ServletContainerInitializer> type) {
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot create " + type.getName(), e);
        }
    }

    /** Registers a servlet instance under {@code name} for the given URL patterns. */
    public WebApp servlet(String name, Servlet servlet, boolean asyncSupported, String... urlPatterns) {
        Objects.requireNonNull(servlet, "servlet");
        requirePatterns(urlPatterns);
        requireUniqueName(name, servlets.stream().map(ServletSpec::name).toList());
        servlets.add(new ServletSpec(name, servlet, asyncSupported, false, List.of(urlPatterns)));
        return this;
    }

    /**
     * Registers a servlet instance that reads {@code multipart/form-data} ({@code getParts()}), as
     * {@code @MultipartConfig} would declare it; parts are held in memory up to 1 KiB, then in the
     * JVM's temporary directory.
     */
    public WebApp multipartServlet(String name, Servlet servlet, boolean asyncSupported, String... urlPatterns) {
        Objects.requireNonNull(servlet, "servlet");
        requirePatterns(urlPatterns);
        requireUniqueName(name, servlets.stream().map(ServletSpec::name).toList());
        servlets.add(new ServletSpec(name, servlet, asyncSupported, true, List.of(urlPatterns)));
        return this;
    }

    /** The multipart settings of {@link #multipartServlet}. */
    static jakarta.servlet.MultipartConfigElement multipartConfig() {
        return new jakarta.servlet.MultipartConfigElement(System.getProperty("java.io.tmpdir"), -1, -1, 1024);
    }

    /**
     * Registers a filter instance under {@code name} with init parameters, mapped to the URL patterns
     * for {@code DispatcherType.REQUEST}. Filters apply in registration order.
     */
    public WebApp filter(String name, Filter filter, Map<String, String> initParams, boolean asyncSupported,
                         String... urlPatterns) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(initParams, "initParams");
        requirePatterns(urlPatterns);
        requireUniqueName(name, filters.stream().map(FilterSpec::name).toList());
        filters.add(new FilterSpec(name, filter, Collections.unmodifiableMap(new LinkedHashMap<>(initParams)), asyncSupported,
                List.of(urlPatterns)));
        return this;
    }

    /**
     * Registers a listener instance, e.g. a {@code ServletContextListener}, a
     * {@code ServletRequestListener} or an {@code HttpSessionListener}.
     */
    public WebApp listener(EventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Maps a response status code to an error page location inside the application. */
    public WebApp errorPage(int status, String location) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("error status must be 4xx or 5xx: " + status);
        }
        if (!location.startsWith("/")) {
            throw new IllegalArgumentException("error page location must start with '/': " + location);
        }
        errorPages.add(new ErrorPageSpec(status, location));
        return this;
    }

    /** The context path, {@code ""} for the root context. */
    public String contextPath() {
        return contextPath;
    }

    List<ServletSpec> servlets() {
        return List.copyOf(servlets);
    }

    List<FilterSpec> filters() {
        return List.copyOf(filters);
    }

    List<EventListener> listeners() {
        return List.copyOf(listeners);
    }

    List<ErrorPageSpec> errorPages() {
        return List.copyOf(errorPages);
    }

    private static void requirePatterns(String... urlPatterns) {
        if (urlPatterns == null || urlPatterns.length == 0) {
            throw new IllegalArgumentException("at least one URL pattern is required");
        }
        for (String p : urlPatterns) {
            Objects.requireNonNull(p, "urlPattern");
        }
    }

    private static void requireUniqueName(String name, List<String> existing) {
        Objects.requireNonNull(name, "name");
        if (existing.contains(name)) {
            throw new IllegalArgumentException("duplicate name: " + name);
        }
    }
}
