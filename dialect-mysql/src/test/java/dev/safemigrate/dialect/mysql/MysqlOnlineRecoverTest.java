package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.OnlineRecoverKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlOnlineRecoverTest extends OnlineRecoverKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
