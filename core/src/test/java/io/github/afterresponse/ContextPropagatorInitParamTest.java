package io.github.afterresponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code context-propagators} init-param: class names made into propagators, in order; every
 * way a name can be wrong fails with the init-param, the value and the reason.
 */
class ContextPropagatorInitParamTest {

    private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

    /** Public, concrete, with a public no-argument constructor: what the init-param needs. */
    public static final class Tenant implements ContextPropagator {
        @Override
        public Snapshot capture() {
            return ContextPropagator.threadLocal(TENANT).capture();
        }
    }

    public static final class Other implements ContextPropagator {
        @Override
        public Snapshot capture() {
            return Snapshot.NONE;
        }
    }

    public static final class NoDefaultConstructor implements ContextPropagator {
        public NoDefaultConstructor(String unused) {
        }

        @Override
        public Snapshot capture() {
            return Snapshot.NONE;
        }
    }

    public static final class ThrowingConstructor implements ContextPropagator {
        public ThrowingConstructor() {
            throw new IllegalStateException("no tenant store");
        }

        @Override
        public Snapshot capture() {
            return Snapshot.NONE;
        }
    }

    public abstract static class Abstract implements ContextPropagator {
    }

    private static AfterResponseConfig parse(String value) {
        return AfterResponseConfig.fromInitParameters(Map.of("context-propagators", value));
    }

    @Test
    void classNamesBecomePropagatorsInTheirOrder() {
        AfterResponseConfig config = parse(" " + Tenant.class.getName() + " , " + Other.class.getName() + ",");

        assertThat(config.contextPropagators()).hasSize(2);
        assertThat(config.contextPropagators().get(0)).isInstanceOf(Tenant.class);
        assertThat(config.contextPropagators().get(1)).isInstanceOf(Other.class);
        assertThat(config.toString()).contains("contextPropagators=[" + Tenant.class.getName() + ", "
                + Other.class.getName() + "]");
    }

    @Test
    void anEmptyValueMeansNone() {
        assertThat(parse(" ").contextPropagators()).isEmpty();
    }

    @Test
    void aMissingClassIsNamed() {
        assertThatThrownBy(() -> parse("com.example.Missing"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("init-param context-propagators must be comma-separated class names of public "
                        + "ContextPropagator implementations with a public no-argument constructor, but was "
                        + "'com.example.Missing': com.example.Missing cannot be loaded");
    }

    @Test
    void aClassThatIsNoPropagatorIsNamed() {
        assertThatThrownBy(() -> parse(Tenant.class.getName() + "," + String.class.getName()))
                .hasMessageEndingWith("java.lang.String does not implement io.github.afterresponse.ContextPropagator");
    }

    @Test
    void aClassWithoutANoArgumentConstructorIsNamed() {
        assertThatThrownBy(() -> parse(NoDefaultConstructor.class.getName()))
                .hasMessageEndingWith(NoDefaultConstructor.class.getName() + " has no public no-argument constructor");
    }

    @Test
    void anAbstractClassIsNamed() {
        assertThatThrownBy(() -> parse(Abstract.class.getName()))
                .hasMessageEndingWith(Abstract.class.getName() + " is not a public concrete class");
    }

    @Test
    void aConstructorThatThrowsIsNamedWithItsFailure() {
        assertThatThrownBy(() -> parse(ThrowingConstructor.class.getName()))
                .hasMessageEndingWith("the constructor of " + ThrowingConstructor.class.getName()
                        + " threw java.lang.IllegalStateException: no tenant store")
                .hasRootCauseMessage("no tenant store");
    }

    @Test
    void discoveryIsOnUnlessTurnedOff() {
        assertThat(AfterResponseConfig.defaults().discoverContextPropagators()).isTrue();
        assertThat(AfterResponseConfig.fromInitParameters(Map.of("discover-context-propagators", "false"))
                .discoverContextPropagators()).isFalse();
        assertThatThrownBy(() -> AfterResponseConfig.fromInitParameters(Map.of("discover-context-propagators", "no")))
                .hasMessage("init-param discover-context-propagators must be true or false, but was 'no'");
    }

    @Test
    void theBuilderRefusesNull() {
        assertThatThrownBy(() -> AfterResponseConfig.builder().contextPropagators((ContextPropagator) null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theBuiltInClassLoaderPropagatorIsOneInstanceThatDescribesItself() {
        assertThat(ContextPropagator.contextClassLoader()).isSameAs(ContextPropagator.contextClassLoader())
                .hasToString("ContextPropagator.contextClassLoader()");
    }
}
