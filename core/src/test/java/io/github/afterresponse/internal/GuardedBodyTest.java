package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.ExchangeState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.Iterator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The request body's guards check before they read, never after. */
class GuardedBodyTest {

    /**
     * A stream of lines taken while the request was live and consumed by a task after the response
     * (a bulk import) reads nothing from the container's reader, which may already hold the next
     * request's body on that connection.
     */
    @Test
    void linesTakenWhileLiveReadNothingOnceTheExchangeResponded() throws IOException {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.moveTo(ExchangeState.FOREGROUND);
        Guard guard = new Guard("r-1", lifecycle);
        BufferedReader container = new BufferedReader(new StringReader("next request line 1\nline 2\n"));
        Stream<String> lines = GuardedBody.reader(container, guard).lines();

        lifecycle.moveTo(ExchangeState.RESPONDED);
        Iterator<String> iterator = lines.iterator();

        assertThatThrownBy(iterator::next).isInstanceOf(IllegalStateException.class);
        assertThat(container.readLine()).as("what the recycled reader still holds").isEqualTo("next request line 1");
    }
}
