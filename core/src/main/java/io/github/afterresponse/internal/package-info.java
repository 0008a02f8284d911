/**
 * Implementation of After Response. Not exported by the module; not an API.
 */
@NullMarked
package io.github.afterresponse.internal;

import org.jspecify.annotations.NullMarked;
