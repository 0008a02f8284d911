package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Every method of {@code HttpServletRequest} and {@code HttpServletResponse} (Servlet 6.1, with
 * those they inherit) is refused once the response has been sent: called by reflection on the
 * wrappers a task kept, each must throw the toolkit's {@link IllegalStateException}, and the
 * wrapper must declare it itself, so that neither a Servlet 6.1 default method nor the plain
 * wrapper's delegation can reach the recycled container object. A method added to the API later
 * fails this test until it is guarded or listed as deliberately allowed.
 */
class GuardCoverageIT {

    /** Methods that deliberately still answer after the response, with the reason. None so far. */
    private static final Map<String, String> ALLOWED = Map.of();

    @EveryContainer
    void everyRequestAndResponseMethodIsGuardedAfterTheResponse(Container container) throws Exception {
        Map<String, String> unguarded = new ConcurrentHashMap<>();
        Map<String, String> inherited = new ConcurrentHashMap<>();
        CountDownLatch checked = new CountDownLatch(1);
        try (Deployment app = Deployment.on(container).servlet("/kept", (request, response) -> {
            response.getWriter().print("sent");
            AfterResponse.of(request).then(task -> {
                try {
                    check(HttpServletRequest.class, request, request, response, unguarded, inherited);
                    check(HttpServletResponse.class, response, request, response, unguarded, inherited);
                } finally {
                    checked.countDown();
                }
            });
        }).start()) {
            assertThat(app.get("/kept").bodyText(StandardCharsets.US_ASCII)).isEqualTo("sent");
            await(checked, "the task that calls every method");
        }
        assertThat(new TreeMap<>(unguarded)).as("methods that answered after the response").isEmpty();
        assertThat(new TreeMap<>(inherited)).as("methods the wrappers do not declare themselves").isEmpty();
    }

    private static void check(Class<?> api, Object kept, HttpServletRequest request, HttpServletResponse response,
            Map<String, String> unguarded, Map<String, String> inherited) {
        List<Method> methods = Arrays.stream(api.getMethods())
                .filter(method -> !Modifier.isStatic(method.getModifiers()))
                .sorted(Comparator.comparing(Method::toString))
                .toList();
        assertThat(methods).as(api + " methods").hasSizeGreaterThan(20);
        for (Method method : methods) {
            String name = api.getSimpleName() + "." + method.getName()
                    + Arrays.toString(method.getParameterTypes()).replace("class ", "").replace("interface ", "");
            if (ALLOWED.containsKey(name)) {
                continue;
            }
            try {
                Class<?> declaring = kept.getClass().getMethod(method.getName(), method.getParameterTypes())
                        .getDeclaringClass();
                if (!declaring.getName().startsWith("io.github.afterresponse.")) {
                    inherited.put(name, "declared by " + declaring.getName());
                }
            } catch (NoSuchMethodException e) {
                inherited.put(name, "not found: " + e);
            }
            Object[] arguments = Arrays.stream(method.getParameterTypes())
                    .map(type -> argument(type, request, response))
                    .toArray();
            try {
                Object result = method.invoke(kept, arguments);
                unguarded.put(name, "returned " + result);
            } catch (InvocationTargetException e) {
                Throwable thrown = e.getCause();
                if (!(thrown instanceof IllegalStateException)
                        || !String.valueOf(thrown.getMessage()).startsWith("After Response: the re")) {
                    unguarded.put(name, "threw " + thrown);
                }
            } catch (IllegalAccessException e) {
                unguarded.put(name, "could not be called: " + e);
            }
        }
    }

    /** A harmless value of each parameter type the two interfaces use. */
    private static Object argument(Class<?> type, HttpServletRequest request, HttpServletResponse response) {
        if (type == String.class) {
            return "x";
        }
        if (type == int.class) {
            return 200;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == Object.class) {
            return "x";
        }
        if (type == Locale.class) {
            return Locale.ROOT;
        }
        if (type == Charset.class) {
            return StandardCharsets.UTF_8;
        }
        if (type == Cookie.class) {
            return new Cookie("a", "b");
        }
        if (type == Supplier.class) {
            return (Supplier<Map<String, String>>) Map::of;
        }
        if (type == Class.class) {
            return HttpUpgradeHandler.class;
        }
        if (type == ServletRequest.class || type == HttpServletRequest.class) {
            return request;
        }
        if (type == ServletResponse.class || type == HttpServletResponse.class) {
            return response;
        }
        throw new AssertionError("no test value for a parameter of type " + type.getName() + "; add one");
    }
}
