package io.github.afterresponse.internal;

import io.github.afterresponse.ContextPropagator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One exchange's context, taken on its request thread: restored on the thread that runs each task
 * and each callback, and closed there right after, in the reverse order, so that the thread keeps
 * nothing of it. Neither step throws: a propagator that fails is left out and reported.
 */
final class CapturedContext {

    /** What a servlet that ran its work on its own request thread (after {@code finish()}) carries: nothing. */
    static final CapturedContext NONE = new CapturedContext(null, new ContextPropagator[0],
            new ContextPropagator.Snapshot[0]);

    private final @Nullable ContextPropagation owner;
    private final ContextPropagator[] propagators;
    private final ContextPropagator.Snapshot[] snapshots;

    CapturedContext(@Nullable ContextPropagation owner, ContextPropagator[] propagators,
            ContextPropagator.Snapshot[] snapshots) {
        this.owner = owner;
        this.propagators = propagators;
        this.snapshots = snapshots;
    }

    /** Puts the context on the current thread; close what it returns on the same thread. */
    Restored restore() {
        ContextPropagator.Scope[] scopes = new ContextPropagator.Scope[snapshots.length];
        for (int i = 0; i < snapshots.length; i++) {
            try {
                scopes[i] = Objects.requireNonNull(snapshots[i].restore(), "restore() returned null");
            } catch (Throwable e) {
                // Throwable: an assert or Kotlin's TODO() is an Error, and the task, its callbacks
                // and the admission place they free must not depend on a propagator.
                failed(i, "restore", e);
                scopes[i] = ContextPropagator.Scope.NONE;
            }
        }
        return new Restored(scopes);
    }

    private void failed(int index, String step, Throwable e) {
        if (owner != null) {
            owner.failed(propagators[index], step, e);
        }
    }

    /** The context on a thread for one task or callback. */
    final class Restored implements AutoCloseable {

        private final ContextPropagator.Scope[] scopes;

        private Restored(ContextPropagator.Scope[] scopes) {
            this.scopes = scopes;
        }

        /** Gives the thread back what it had, last restored first. Never throws. */
        @Override
        public void close() {
            for (int i = scopes.length - 1; i >= 0; i--) {
                try {
                    scopes[i].close();
                } catch (Throwable e) {
                    failed(i, "close", e); // and the scopes restored before it still close
                }
            }
        }
    }
}
