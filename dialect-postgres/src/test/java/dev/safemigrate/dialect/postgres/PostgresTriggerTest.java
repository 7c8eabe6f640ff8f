package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.TriggerKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresTriggerTest extends TriggerKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
