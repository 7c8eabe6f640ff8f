package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.NullsKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresNullsTest extends NullsKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
