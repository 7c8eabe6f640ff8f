package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.BookkeepingKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresBookkeepingTest extends BookkeepingKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
