package io.github.afterresponse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module exports the API package only and requires nothing at run time but the Servlet API;
 * the jar announces its initializer to containers, both on the class path (META-INF/services) and
 * on the module path, and names itself as a web fragment.
 */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyTheApi() throws IOException {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertThat(descriptor.name()).isEqualTo("io.github.afterresponse");
        assertThat(descriptor.exports())
                .extracting(ModuleDescriptor.Exports::source)
                .containsExactly("io.github.afterresponse");
        assertThat(descriptor.requires().stream()
                        .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                        .map(ModuleDescriptor.Requires::name)
                        .collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("java.base", "jakarta.servlet", "java.management", "java.naming");
    }

    @Test
    void announcesTheInitializerEverywhereAContainerLooks() throws IOException {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertThat(descriptor.provides()).singleElement().satisfies(provides -> {
            assertThat(provides.service()).isEqualTo("jakarta.servlet.ServletContainerInitializer");
            assertThat(provides.providers()).containsExactly(AfterResponseInitializer.class.getName());
        });
        assertThat(java.util.ServiceLoader.load(jakarta.servlet.ServletContainerInitializer.class).stream()
                        .map(java.util.ServiceLoader.Provider::type))
                .contains(AfterResponseInitializer.class);
        String fragment = Files.readString(Path.of("target/classes/META-INF/web-fragment.xml"));
        assertThat(fragment).contains("<name>io_github_afterresponse</name>").contains("metadata-complete=\"true\"");
    }
}
