/**
 * Test harness for After Response: embedded Jetty 12 (ee10), Tomcat 11 and Undertow 2.3 started
 * programmatically on an ephemeral loopback port ({@link io.github.afterresponse.testkit.Container},
 * {@link io.github.afterresponse.testkit.WebApp}), a raw-socket HTTP/1.1 client that sees the exact
 * bytes on the wire ({@link io.github.afterresponse.testkit.RawConnection}) and an HTTP/2
 * prior-knowledge client ({@link io.github.afterresponse.testkit.H2cClient}).
 */
package io.github.afterresponse.testkit;
