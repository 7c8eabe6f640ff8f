package com.example.safemigrate;

import dev.safemigrate.core.spi.DialectModule;

/** Contributes {@code h2-strict}; listed in {@code META-INF/services/dev.safemigrate.core.spi.DialectModule}. */
public final class H2StrictDialectModule extends DialectModule {
    @Override
    protected void configure() {
        addDialect(H2StrictDialect.NAME).to(H2StrictDialect.class);
    }
}
