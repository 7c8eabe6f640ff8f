package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.UndoKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresUndoTest extends UndoKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
