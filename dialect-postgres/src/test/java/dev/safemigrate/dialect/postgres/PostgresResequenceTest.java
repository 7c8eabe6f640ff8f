package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.ResequenceKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresResequenceTest extends ResequenceKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
