/**
 * Reading configuration written for humans: sizes, durations and the filter's init-params, each
 * failure naming the setting and the value. Implementation of After Response; not exported.
 */
@NullMarked
package io.github.afterresponse.internal.config;

import org.jspecify.annotations.NullMarked;
