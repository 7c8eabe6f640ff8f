package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.OnlineKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlOnlineTest extends OnlineKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
