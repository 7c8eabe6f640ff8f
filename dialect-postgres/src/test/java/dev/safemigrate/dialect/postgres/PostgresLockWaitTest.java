package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.LockWaitKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresLockWaitTest extends LockWaitKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
