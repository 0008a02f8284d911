/**
 * JMH micro-benchmarks of the buffering response wrapper ({@code bench/jmh.sh}). The container is
 * played by small in-memory stubs ({@link io.github.afterresponse.bench.jmh.StubResponse},
 * {@link io.github.afterresponse.bench.jmh.StubRequest}, {@link io.github.afterresponse.bench.jmh.StubContext}),
 * so that what is measured is the filter's own work and not a network stack's.
 */
package io.github.afterresponse.bench.jmh;
