package io.github.afterresponse.internal;

import static io.github.afterresponse.ExchangeState.ACCEPTED;
import static io.github.afterresponse.ExchangeState.DONE;
import static io.github.afterresponse.ExchangeState.FOREGROUND;
import static io.github.afterresponse.ExchangeState.REJECTED;
import static io.github.afterresponse.ExchangeState.RESPONDED;
import static io.github.afterresponse.ExchangeState.RUNNING;
import static io.github.afterresponse.ExchangeState.STREAMING;

import io.github.afterresponse.ExchangeState;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The state of one exchange: one {@link ExchangeState} in an atomic reference, moved only along
 * the edges drawn in {@link ExchangeState}'s Javadoc. Reads are lock-free so that the request and
 * response guards can check it on every call.
 */
final class Lifecycle {

    private static final Map<ExchangeState, Set<ExchangeState>> NEXT = new EnumMap<>(ExchangeState.class);

    static {
        NEXT.put(ACCEPTED, EnumSet.of(FOREGROUND, REJECTED));
        NEXT.put(REJECTED, EnumSet.of(DONE));
        NEXT.put(FOREGROUND, EnumSet.of(STREAMING, RESPONDED, DONE));
        NEXT.put(STREAMING, EnumSet.of(RESPONDED, RUNNING, DONE));
        NEXT.put(RESPONDED, EnumSet.of(RUNNING, DONE));
        NEXT.put(RUNNING, EnumSet.of(DONE));
        NEXT.put(DONE, EnumSet.noneOf(ExchangeState.class));
    }

    private final AtomicReference<ExchangeState> state = new AtomicReference<>(ACCEPTED);

    ExchangeState get() {
        return state.get();
    }

    /**
     * Moves to {@code next}.
     *
     * @return the state moved from
     * @throws IllegalStateException quoting the current state, if {@code next} cannot follow it
     */
    ExchangeState moveTo(ExchangeState next) {
        while (true) {
            ExchangeState current = state.get();
            if (!NEXT.get(current).contains(next)) {
                throw new IllegalStateException(
                        "an exchange in state " + current + " cannot move to " + next + "; it can move to "
                                + (NEXT.get(current).isEmpty() ? "nothing" : NEXT.get(current).toString()));
            }
            if (state.compareAndSet(current, next)) {
                return current;
            }
        }
    }

    /** Whether {@code next} may follow the current state. */
    boolean canMoveTo(ExchangeState next) {
        return NEXT.get(state.get()).contains(next);
    }
}
