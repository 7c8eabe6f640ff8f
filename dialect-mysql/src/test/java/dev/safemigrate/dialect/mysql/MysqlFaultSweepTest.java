package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.FaultSweepKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlFaultSweepTest extends FaultSweepKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
