package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.TriggerKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlTriggerTest extends TriggerKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
