package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.OnlineFaultSweepKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresOnlineFaultSweepTest extends OnlineFaultSweepKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
