package io.github.afterresponse.internal.config;

import io.github.afterresponse.ContextPropagator;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The {@code context-propagators} init-param: class names, made into propagators. */
final class PropagatorClasses {

    private static final String MUST = "comma-separated class names of public ContextPropagator implementations "
            + "with a public no-argument constructor";

    private PropagatorClasses() {}

    /**
     * One propagator per class name, loaded with the thread's context class loader (the web
     * application's while a filter starts), or this library's where the thread has none.
     *
     * @throws IllegalArgumentException naming the init-param, the class, and what is wrong with it
     */
    static List<ContextPropagator> instantiate(String name, String value) {
        List<ContextPropagator> propagators = new ArrayList<>();
        for (String className : InitParameters.list(value)) {
            propagators.add(instantiateOne(name, value, className));
        }
        return propagators;
    }

    private static ContextPropagator instantiateOne(String name, String value, String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> type;
        try {
            type = Class.forName(className, false, loader != null ? loader : PropagatorClasses.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw invalid(name, value, className + " cannot be loaded (" + e + ")", e);
        }
        if (!ContextPropagator.class.isAssignableFrom(type)) {
            throw invalid(name, value, className + " does not implement " + ContextPropagator.class.getName(), null);
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
            throw invalid(name, value, className + " is not a public concrete class", null);
        }
        try {
            Constructor<?> constructor = type.getConstructor();
            return (ContextPropagator) constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw invalid(name, value, className + " has no public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw invalid(name, value, "the constructor of " + className + " threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            throw invalid(name, value, className + " cannot be instantiated (" + e + ")", e);
        }
    }

    private static IllegalArgumentException invalid(String name, String value, String why,
            @Nullable Throwable cause) {
        return new IllegalArgumentException(name + " must be " + MUST + ", but was '" + value + "': " + why, cause);
    }
}
