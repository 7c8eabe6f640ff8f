package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.OnlineFaultSweepKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlOnlineFaultSweepTest extends OnlineFaultSweepKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
