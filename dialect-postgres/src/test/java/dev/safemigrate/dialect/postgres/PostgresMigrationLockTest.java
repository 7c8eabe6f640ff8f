package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.MigrationLockKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresMigrationLockTest extends MigrationLockKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
