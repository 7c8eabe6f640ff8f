package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.NullsKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlNullsTest extends NullsKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
