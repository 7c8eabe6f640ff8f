package com.example.safemigrate;

import dev.safemigrate.core.spi.StrategyModule;

/** Contributes {@link StepLimitStrategy}; listed in {@code META-INF/services/dev.safemigrate.core.spi.StrategyModule}. */
public final class H2StrictStrategyModule extends StrategyModule {
    @Override
    protected void configure() {
        addStrategy(StepLimitStrategy.NAME).to(StepLimitStrategy.class);
    }
}
