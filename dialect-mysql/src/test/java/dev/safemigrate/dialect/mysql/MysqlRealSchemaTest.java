package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.RealSchemaKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlRealSchemaTest extends RealSchemaKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
