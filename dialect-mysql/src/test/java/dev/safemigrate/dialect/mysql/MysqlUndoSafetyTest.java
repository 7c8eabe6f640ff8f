package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.UndoSafetyKit;
import dev.safemigrate.core.kit.TestDatabase;

class MysqlUndoSafetyTest extends UndoSafetyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }
}
