package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.StuckStateKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlStuckStateTest extends StuckStateKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
