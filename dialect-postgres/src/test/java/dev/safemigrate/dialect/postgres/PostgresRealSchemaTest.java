package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.RealSchemaKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresRealSchemaTest extends RealSchemaKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
