package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.OnlineReversalKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresOnlineReversalTest extends OnlineReversalKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
