package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.spi.StrategyModule;

/** Contributes the shadow swap, the MySQL/MariaDB-only strategy; listed in {@code META-INF/services}. */
public final class MysqlStrategyModule extends StrategyModule {
    @Override
    protected void configure() {
        addStrategy(ShadowSwapStrategy.NAME).to(ShadowSwapStrategy.class);
    }
}
