package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.FaultSweepKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresFaultSweepTest extends FaultSweepKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
