package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.DedupeKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlDedupeTest extends DedupeKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
