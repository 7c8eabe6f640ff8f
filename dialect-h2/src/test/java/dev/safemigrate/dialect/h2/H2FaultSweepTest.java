package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.FaultSweepKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2FaultSweepTest extends FaultSweepKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
