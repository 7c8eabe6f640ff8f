package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.ResequenceKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlResequenceTest extends ResequenceKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
