package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.kit.fuzz.SchemaFuzzKit;

class MysqlSchemaFuzzTest extends SchemaFuzzKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    @Override
    protected int defaultCases() {
        return 16;
    }
}
