package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.LockWaitKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlLockWaitTest extends LockWaitKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
