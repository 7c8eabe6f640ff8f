package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.MigrationLockKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlMigrationLockTest extends MigrationLockKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
