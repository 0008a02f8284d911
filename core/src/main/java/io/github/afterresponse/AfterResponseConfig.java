package io.github.afterresponse;

import io.github.afterresponse.internal.InitParameters;
import io.github.afterresponse.internal.Sizes;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable configuration of one {@link AfterResponseFilter}. Build it with {@link #builder()}, or
 * let the filter read it from its init-params ({@link #fromInitParameters(Map)}).
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>init-param</th><th>builder</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code buffer-limit}</td><td>{@link Builder#bufferLimit(int)}</td><td>1MiB</td>
 *       <td>bytes of output held back to send with {@code Content-Length}; past it the response is
 *       streamed (chunked). From 0 to 1GiB; takes {@code 1048576}, {@code 64KiB}, {@code 1MiB}.</td></tr>
 *   <tr><td>{@code connection-close}</td><td>{@link Builder#connectionClose(boolean)}</td>
 *       <td>true</td><td>send {@code Connection: close} on HTTP/1.x responses that have background
 *       work (never on HTTP/2)</td></tr>
 *   <tr><td>{@code snapshot-attributes}</td><td>{@link Builder#snapshotAttributes(String...)}</td>
 *       <td>none</td><td>comma-separated request attribute names copied into the
 *       {@link RequestSnapshot}</td></tr>
 * </table>
 */
public final class AfterResponseConfig {

    /** Default {@link #bufferLimit()}: 1 MiB. */
    public static final int DEFAULT_BUFFER_LIMIT = 1024 * 1024;

    /** Largest {@link #bufferLimit()}: 1 GiB. */
    public static final int MAX_BUFFER_LIMIT = 1024 * 1024 * 1024;

    private static final AfterResponseConfig DEFAULTS = new Builder().build();

    private final int bufferLimit;
    private final boolean connectionClose;
    private final Set<String> snapshotAttributes;

    private AfterResponseConfig(Builder builder) {
        bufferLimit = builder.bufferLimit;
        connectionClose = builder.connectionClose;
        snapshotAttributes = Set.copyOf(builder.snapshotAttributes);
    }

    /** The defaults: 1 MiB buffer, {@code Connection: close} on, no attributes in the snapshot. */
    public static AfterResponseConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder()
                .bufferLimit(bufferLimit)
                .connectionClose(connectionClose)
                .snapshotAttributes(snapshotAttributes);
    }

    /**
     * Reads a configuration from filter init-params (names in the table above); absent ones keep
     * their default.
     *
     * @throws IllegalArgumentException naming the parameter and its bad value, for an unknown
     *     parameter or a value that cannot be used
     */
    public static AfterResponseConfig fromInitParameters(Map<String, String> initParameters) {
        return InitParameters.parse(initParameters, builder()).build();
    }

    /** Bytes of output held back to be sent whole with {@code Content-Length}. */
    public int bufferLimit() {
        return bufferLimit;
    }

    /** Whether HTTP/1.x responses with background work carry {@code Connection: close}. */
    public boolean connectionClose() {
        return connectionClose;
    }

    /** The request attributes copied into the {@link RequestSnapshot}. */
    public Set<String> snapshotAttributes() {
        return snapshotAttributes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AfterResponseConfig that
                && bufferLimit == that.bufferLimit
                && connectionClose == that.connectionClose
                && snapshotAttributes.equals(that.snapshotAttributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bufferLimit, connectionClose, snapshotAttributes);
    }

    @Override
    public String toString() {
        return "AfterResponseConfig[bufferLimit=" + Sizes.format(bufferLimit) + ", connectionClose="
                + connectionClose + ", snapshotAttributes=" + snapshotAttributes + "]";
    }

    /** Builds an {@link AfterResponseConfig}; every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private int bufferLimit = DEFAULT_BUFFER_LIMIT;
        private boolean connectionClose = true;
        private final Set<String> snapshotAttributes = new LinkedHashSet<>();

        private Builder() {}

        /**
         * Bytes of output held back to be sent whole with {@code Content-Length}; past them the
         * response is streamed. 0 streams everything.
         *
         * @throws IllegalArgumentException unless 0 to {@link #MAX_BUFFER_LIMIT}
         */
        public Builder bufferLimit(int bytes) {
            this.bufferLimit = Sizes.checkBufferLimit(bytes, "bufferLimit");
            return this;
        }

        /** Whether HTTP/1.x responses with background work carry {@code Connection: close}. */
        public Builder connectionClose(boolean connectionClose) {
            this.connectionClose = connectionClose;
            return this;
        }

        /**
         * Replaces the request attributes copied into the {@link RequestSnapshot}.
         *
         * @throws IllegalArgumentException if a name is blank
         */
        public Builder snapshotAttributes(Collection<String> names) {
            for (String name : names) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException(
                            "snapshotAttributes must be attribute names, but contained '" + name + "'");
                }
            }
            snapshotAttributes.clear();
            snapshotAttributes.addAll(names);
            return this;
        }

        /** Replaces the request attributes copied into the {@link RequestSnapshot}. */
        public Builder snapshotAttributes(String... names) {
            return snapshotAttributes(Arrays.asList(names));
        }

        /** The configuration. */
        public AfterResponseConfig build() {
            return new AfterResponseConfig(this);
        }
    }
}
