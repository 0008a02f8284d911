package io.github.afterresponse.spring.boot.it;

import java.lang.reflect.Method;
import java.util.List;
import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.springframework.boot.SpringBootVersion;

/**
 * Names every test class and method after the Boot and Tomcat versions it runs on, so that the
 * reports of boot3 and boot4, which share these sources, say which is which.
 */
public class BootDisplayNames extends DisplayNameGenerator.Standard {

    /** "Spring Boot 3.5.7, Tomcat 10.1.48". */
    public static String versions() {
        return "Spring Boot " + SpringBootVersion.getVersion() + ", Tomcat " + ServerInfo.getServerNumber();
    }

    @Override
    public String generateDisplayNameForClass(Class<?> testClass) {
        return super.generateDisplayNameForClass(testClass) + " [" + versions() + "]";
    }

    @Override
    public String generateDisplayNameForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass, Method testMethod) {
        return super.generateDisplayNameForMethod(enclosingInstanceTypes, testClass, testMethod) + " [" + versions() + "]";
    }
}
