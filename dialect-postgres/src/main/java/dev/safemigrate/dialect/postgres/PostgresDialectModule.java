package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.spi.DialectModule;

/** Contributes the PostgreSQL dialect; listed in {@code META-INF/services}. */
public final class PostgresDialectModule extends DialectModule {
    @Override
    protected void configure() {
        addDialect(PostgresDialect.NAME).to(PostgresDialect.class);
    }
}
