package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.spi.StrategyModule;

/** Contributes the fenced strategy, the one that runs migrations on a Galera cluster; listed in {@code META-INF/services}. */
public final class GaleraStrategyModule extends StrategyModule {
    @Override
    protected void configure() {
        addStrategy(GaleraFencedStrategy.NAME).to(GaleraFencedStrategy.class);
    }
}
