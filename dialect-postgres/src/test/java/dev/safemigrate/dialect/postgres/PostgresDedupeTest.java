package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.DedupeKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresDedupeTest extends DedupeKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
