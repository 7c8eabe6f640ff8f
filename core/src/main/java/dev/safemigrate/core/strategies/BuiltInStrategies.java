package dev.safemigrate.core.strategies;

import dev.safemigrate.core.spi.StrategyModule;

/** The strategies every database can use: one transaction where DDL is transactional, compensation elsewhere; online mode where the dialect can do it. */
public final class BuiltInStrategies extends StrategyModule {
    @Override
    protected void configure() {
        addStrategy(SingleTransactionStrategy.NAME).to(SingleTransactionStrategy.class);
        addStrategy(CompensatingStrategy.NAME).to(CompensatingStrategy.class);
        addStrategy(OnlineStrategy.NAME).to(OnlineStrategy.class);
    }
}
