package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.spi.DialectModule;

/** Contributes the Galera dialect; listed in {@code META-INF/services}. */
public final class GaleraDialectModule extends DialectModule {
    @Override
    protected void configure() {
        addDialect(GaleraDialect.NAME).to(GaleraDialect.class);
    }
}
