package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.KeyGuardKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlKeyGuardTest extends KeyGuardKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
