package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.UnguardedDialect;
import dev.safemigrate.core.spi.DialectModule;

/** Tests only: {@link PostgresDialect} with a check policy that refuses nothing, to test the runtime defences alone. */
public final class PostgresUnguardedModule extends DialectModule {
    public static final String NAME = PostgresDialect.NAME + "-unguarded";

    @Override
    protected void configure() {
        addDialect(NAME).toInstance(new UnguardedDialect(new PostgresDialect()));
    }
}
