package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.OnlineRecoverKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresOnlineRecoverTest extends OnlineRecoverKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
