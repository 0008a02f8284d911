package io.github.afterresponse.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * What the toolkit's wrappers point to once their exchange's response has been sent: a request and
 * a response that refuse every call. The wrappers must keep pointing to something (the servlet API's
 * wrappers reject null), but not to the container's objects, which the container recycles for other
 * clients and which a task that captured a wrapper would otherwise keep reachable for as long as it
 * runs. The guards refuse every call first, with the exchange's id; these are only the backstop.
 */
final class Gone {

    private static final String MESSAGE = "After Response: this request or response was handed back to the "
            + "container when its exchange's response was sent; in a task, use TaskContext.request() instead";

    private static final InvocationHandler REFUSE = (proxy, method, args) -> switch (method.getName()) {
        case "toString" -> "Gone[" + method.getDeclaringClass().getSimpleName() + "]";
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> throw new IllegalStateException(MESSAGE);
    };

    /** A request that refuses every call. */
    static final HttpServletRequest REQUEST = proxy(HttpServletRequest.class);

    /** A response that refuses every call. */
    static final HttpServletResponse RESPONSE = proxy(HttpServletResponse.class);

    /** A part of a multipart body that refuses every call. */
    static final Part PART = proxy(Part.class);

    /** A body stream that refuses every read. */
    static final InputStream STREAM = new InputStream() {
        @Override
        public int read() {
            throw new IllegalStateException(MESSAGE);
        }
    };

    private Gone() {}

    private static <T> T proxy(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(Gone.class.getClassLoader(), new Class<?>[] {type}, REFUSE));
    }
}
