package dev.safemigrate.dialect.h2;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.DatabaseInfo;
import java.util.Optional;
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

    @Test
    void namingTheH2DialectForAnotherDatabaseOrForH2OneIsInvalid() {
        Extensions extensions = Extensions.load();
        DatabaseInfo postgres = new DatabaseInfo("PostgreSQL", "15.8", 15, 8);
        assertThatThrownBy(() -> extensions.dialectFor(null, postgres, Optional.of("h2")))
                .isInstanceOfSatisfying(SafeMigrateException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID))
                .hasMessageContaining("the h2 dialect is for H2, not PostgreSQL");
        assertThatThrownBy(() -> extensions.dialectFor(null, new DatabaseInfo("H2", "1.4.200 (2019-10-14)", 1, 4), Optional.empty()))
                .isInstanceOfSatisfying(SafeMigrateException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID))
                .hasMessageContaining("H2 1.4.200 (2019-10-14) is not supported; safemigrate needs H2 2.x");
    }
}
