package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.UndoKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlUndoTest extends UndoKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
