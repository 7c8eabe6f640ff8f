package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.spi.DialectModule;

/** Contributes the MySQL/MariaDB dialect; listed in {@code META-INF/services}. */
public final class MysqlDialectModule extends DialectModule {
    @Override
    protected void configure() {
        addDialect(MysqlDialect.NAME).to(MysqlDialect.class);
    }
}
