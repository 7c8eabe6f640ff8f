package dev.safemigrate.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Dialect;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The module is found by ServiceLoader and wired by Guice, with no database (the built-in dialects recognise a server from what the driver says, without probing the connection). */
class PostgresWiringTest {
    @Test
    void dialectIsFoundAndChosenForPostgres() throws Exception {
        Extensions extensions = Extensions.load();
        assertThat(extensions.dialects()).containsKey("postgresql");
        DatabaseInfo pg15 = new DatabaseInfo("PostgreSQL", "15.20", 15, 20);
        Dialect dialect = extensions.dialectFor(null, pg15, Optional.empty());
        assertThat(dialect.name()).isEqualTo("postgresql");
        assertThat(dialect.supportsTransactionalDdl()).isTrue();
        assertThat(dialect.supportsNullsNotDistinct(pg15)).isTrue();
        assertThat(dialect.supportsNullsNotDistinct(new DatabaseInfo("PostgreSQL", "14.9", 14, 9))).isFalse();
        assertThat(dialect.quote("Mixed\"Case")).isEqualTo("\"Mixed\"\"Case\"");
    }

    @Test
    void versionsBeforeTheOldestSupportedAreInvalid() {
        Dialect dialect = new PostgresDialect();
        dialect.checkSupported(new DatabaseInfo("PostgreSQL", "10.23", 10, 23));
        assertThatThrownBy(() -> dialect.checkSupported(new DatabaseInfo("PostgreSQL", "9.6.24", 9, 6)))
                .isInstanceOf(dev.safemigrate.core.SafeMigrateException.class)
                .hasMessage("PostgreSQL 9.6.24 is not supported; safemigrate needs PostgreSQL 10 or later");
    }
}
