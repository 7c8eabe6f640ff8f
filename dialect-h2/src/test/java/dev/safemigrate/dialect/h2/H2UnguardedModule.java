package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.UnguardedDialect;
import dev.safemigrate.core.spi.DialectModule;

/** Tests only: {@link H2Dialect} with a check policy that refuses nothing, to test the runtime defences alone. */
public final class H2UnguardedModule extends DialectModule {
    public static final String NAME = H2Dialect.NAME + "-unguarded";

    @Override
    protected void configure() {
        addDialect(NAME).toInstance(new UnguardedDialect(new H2Dialect()));
    }
}
