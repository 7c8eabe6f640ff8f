package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.kit.fuzz.SchemaFuzzKit;

class PostgresSchemaFuzzTest extends SchemaFuzzKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }

    @Override
    protected int defaultCases() {
        return 16;
    }
}
