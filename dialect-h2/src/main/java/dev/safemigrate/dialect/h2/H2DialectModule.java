package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.spi.DialectModule;

/** Contributes the H2 dialect; listed in {@code META-INF/services}. */
public final class H2DialectModule extends DialectModule {
    @Override
    protected void configure() {
        addDialect(H2Dialect.NAME).to(H2Dialect.class);
    }
}
