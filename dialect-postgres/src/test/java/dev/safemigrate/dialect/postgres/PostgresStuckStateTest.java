package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.StuckStateKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresStuckStateTest extends StuckStateKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
