package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.OnlineReversalKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlOnlineReversalTest extends OnlineReversalKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
