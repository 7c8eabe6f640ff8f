package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.MigrationLockKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2MigrationLockTest extends MigrationLockKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
