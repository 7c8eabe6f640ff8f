package com.example.safemigrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.spi.DatabaseInfo;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Both modules are found by ServiceLoader and wired by Guice next to the built-in ones, with no database. */
class ExtensionWiringTest {
    private static final DatabaseInfo H2 = new DatabaseInfo("H2", "2.3.232 (2024-08-11)", 2, 3);

    @Test
    void stepTypeAndDialectAreContributed() {
        Extensions extensions = Extensions.load();
        assertThat(extensions.stepTypes()).containsKeys("trim_spaces", "dedupe", "add_unique");
        assertThat(extensions.dialects()).containsKeys("h2-strict", "h2");
    }

    @Test
    void detectionKeepsPickingH2AndTheNameChoosesH2Strict() {
        Extensions extensions = Extensions.load();
        assertThat(extensions.dialectFor(H2, Optional.empty()).name()).isEqualTo("h2");
        assertThat(extensions.dialectFor(H2, Optional.of("h2-strict"))).isInstanceOf(H2StrictDialect.class);
    }
}
