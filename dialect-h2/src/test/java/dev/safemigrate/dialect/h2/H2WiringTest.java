package dev.safemigrate.dialect.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.spi.DatabaseInfo;
import org.junit.jupiter.api.Test;

/** The module is found by ServiceLoader and wired by Guice, with no database (the built-in dialects recognise a server from what the driver says, without probing the connection). */
class H2WiringTest {
    @Test
    void dialectIsFoundAndChosenForH2() throws Exception {
        Extensions extensions = Extensions.load();
        assertThat(extensions.dialects()).containsKey("h2");
        assertThat(extensions.dialectFor(null, new DatabaseInfo("H2", "2.3.232 (2024-08-11)", 2, 3), java.util.Optional.empty()).name()).isEqualTo("h2");
        assertThat(extensions.stepTypes()).containsKeys("dedupe", "add_unique");
    }
}
