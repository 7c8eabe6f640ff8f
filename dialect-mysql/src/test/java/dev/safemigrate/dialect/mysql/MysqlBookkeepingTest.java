package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.BookkeepingKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlBookkeepingTest extends BookkeepingKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
