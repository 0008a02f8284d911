package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parts a servlet takes are wrapped once each, however often it asks, and let go with the
 * request, also one handed out while the request was being released (a thread of the servlet's
 * own racing its return): none keeps the container's part reachable afterwards.
 */
class GuardedPartsTest {

    private static <T> T stub(Class<T> type, java.util.function.BiFunction<String, Object[], Object> answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.apply(method.getName(), args)));
    }

    private static Object defaults(String method) {
        return switch (method) {
            case "hashCode" -> 0;
            case "equals" -> false;
            case "toString" -> "stub";
            default -> null;
        };
    }

    @Test
    void aPartIsWrappedOnceAndLetGoWithTheRequestEvenWhenHandedOutDuringTheRelease() throws Exception {
        Part container = stub(Part.class, (method, args) -> "getName".equals(method) ? "file" : defaults(method));
        GuardedRequest[] self = new GuardedRequest[1];
        boolean[] releaseDuringGetPart = new boolean[1];
        HttpServletRequest real = stub(HttpServletRequest.class, (method, args) -> switch (method) {
            case "getParts" -> List.of(container);
            case "getPart" -> {
                if (releaseDuringGetPart[0]) {
                    self[0].release(); // the request thread returns from the servlet right now
                }
                yield container;
            }
            default -> defaults(method);
        });
        Exchange exchange = new Exchange("p-1", Clock.systemUTC(), c -> { });
        exchange.enterForeground();
        BufferingResponse response = new BufferingResponse(new RecordingResponse(), exchange, 16, new LogOnce());
        ExchangeFacade facade = new ExchangeFacade(exchange, response.output(), null);
        GuardedRequest request = new GuardedRequest(real, facade, response, async -> { });
        self[0] = request;

        Part first = request.getParts().iterator().next();
        assertThat(request.getParts().iterator().next()).as("the same wrapper each time").isSameAs(first);
        assertThat(first.getName()).isEqualTo("file");

        releaseDuringGetPart[0] = true;
        Part late = request.getPart("file");
        assertThat(late).isSameAs(first);
        assertThat(partOf(first)).as("the container's part, let go").isSameAs(Gone.PART);
        assertThatThrownBy(first::getName).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNewPartHandedOutAfterTheReleaseIsLetGoAtOnce() throws Exception {
        Part container = stub(Part.class, (method, args) -> defaults(method));
        GuardedRequest[] self = new GuardedRequest[1];
        HttpServletRequest real = stub(HttpServletRequest.class, (method, args) -> {
            if ("getPart".equals(method)) {
                self[0].release();
                return container;
            }
            return defaults(method);
        });
        Exchange exchange = new Exchange("p-2", Clock.systemUTC(), c -> { });
        exchange.enterForeground();
        BufferingResponse response = new BufferingResponse(new RecordingResponse(), exchange, 16, new LogOnce());
        GuardedRequest request = new GuardedRequest(real, new ExchangeFacade(exchange, response.output(), null),
                response, async -> { });
        self[0] = request;
        assertThat(partOf(request.getPart("late"))).isSameAs(Gone.PART);
    }

    private static Object partOf(Part guarded) throws ReflectiveOperationException {
        java.lang.reflect.Field field = guarded.getClass().getDeclaredField("part");
        field.setAccessible(true);
        return field.get(guarded);
    }
}
