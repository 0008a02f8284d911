package io.github.afterresponse.internal;

/** The toolkit's one logger, {@code io.github.afterresponse}, through {@link System.Logger}. */
public final class Log {

    /** Where the toolkit logs; route {@code System.Logger} to your logging to see it. */
    public static final System.Logger LOGGER = System.getLogger("io.github.afterresponse");

    private Log() {}
}
