package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.SafetyKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlSafetyTest extends SafetyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
