package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.CrashKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlCrashTest extends CrashKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
