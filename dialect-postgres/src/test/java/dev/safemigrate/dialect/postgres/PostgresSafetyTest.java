package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.SafetyKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresSafetyTest extends SafetyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
