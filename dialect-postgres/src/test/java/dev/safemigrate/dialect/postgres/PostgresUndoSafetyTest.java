package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.UndoSafetyKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresUndoSafetyTest extends UndoSafetyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
