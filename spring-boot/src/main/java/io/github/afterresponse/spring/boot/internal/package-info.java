/**
 * Implementation of the Spring Boot auto-configuration; not an API, may change in any release.
 */
@NullMarked
package io.github.afterresponse.spring.boot.internal;

import org.jspecify.annotations.NullMarked;
