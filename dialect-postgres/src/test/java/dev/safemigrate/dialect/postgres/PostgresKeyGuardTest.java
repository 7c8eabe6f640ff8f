package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.KeyGuardKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresKeyGuardTest extends KeyGuardKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
