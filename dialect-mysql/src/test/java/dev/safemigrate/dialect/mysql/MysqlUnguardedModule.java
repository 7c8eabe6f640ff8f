package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.UnguardedDialect;
import dev.safemigrate.core.spi.DialectModule;

/** Tests only: {@link MysqlDialect} with a check policy that refuses nothing, to test the runtime defences alone. */
public final class MysqlUnguardedModule extends DialectModule {
    public static final String NAME = MysqlDialect.NAME + "-unguarded";

    @Override
    protected void configure() {
        addDialect(NAME).toInstance(new UnguardedDialect(new MysqlDialect()));
    }
}
