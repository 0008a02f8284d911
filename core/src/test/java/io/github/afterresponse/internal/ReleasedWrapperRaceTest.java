package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpServletResponseWrapper;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * A call that passed the guard just before the request thread released the wrappers gets the
 * guard's IllegalStateException, not a NullPointerException from the emptied wrapper. The container call in
 * the middle stands for the request thread running ExchangeHandler.release meanwhile (a thread of
 * the servlet's own still using the response while the servlet returns).
 */
class ReleasedWrapperRaceTest {

    @Test
    void callThatPassedTheGuardWhenReleaseRunsGetsIllegalStateNotNpe() {
        Exchange exchange = new Exchange("r-1", Clock.systemUTC(), c -> { });
        exchange.enterForeground();
        BufferingResponse[] holder = new BufferingResponse[1];
        HttpServletResponseWrapper container = new HttpServletResponseWrapper(new RecordingResponse()) {
            @Override
            public int getBufferSize() {
                holder[0].release(); // the request thread returns from the servlet right now
                return 8192;
            }
        };
        BufferingResponse response = new BufferingResponse(container, exchange, 16, new LogOnce());
        holder[0] = response;
        assertThatThrownBy(response::getBufferSize).isInstanceOf(IllegalStateException.class);
    }
}
