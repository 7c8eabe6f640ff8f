package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.OnlineKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresOnlineTest extends OnlineKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
