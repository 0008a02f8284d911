package io.github.afterresponse.standalone;

import java.util.Locale;

/** The standalone servers the WAR is deployed on; versions come from the build (pom properties). */
enum ServerKind {
    TOMCAT_11("Tomcat", "standalone.tomcat11.version", v -> new TomcatLauncher(v)),
    TOMCAT_10("Tomcat", "standalone.tomcat10.version", v -> new TomcatLauncher(v)),
    JETTY_12("Jetty", "standalone.jetty.version", v -> new JettyLauncher(v)),
    PAYARA_MICRO_6("Payara Micro", "standalone.payara.version", v -> new PayaraLauncher());

    private final String product;
    private final String versionProperty;
    private final java.util.function.Function<String, ServerLauncher> launcher;

    ServerKind(String product, String versionProperty, java.util.function.Function<String, ServerLauncher> launcher) {
        this.product = product;
        this.versionProperty = versionProperty;
        this.launcher = launcher;
    }

    /** The version under test, as the build passed it. */
    String version() {
        String version = System.getProperty(versionProperty);
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("system property " + versionProperty + " is not set: run through Maven (mvn verify)");
        }
        return version;
    }

    ServerLauncher launcher() {
        return launcher.apply(version());
    }

    /** A directory name: {@code tomcat_11}. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean isTomcat() {
        return this == TOMCAT_11 || this == TOMCAT_10;
    }

    boolean isPayara() {
        return this == PAYARA_MICRO_6;
    }

    @Override
    public String toString() {
        return product + " " + version();
    }
}
