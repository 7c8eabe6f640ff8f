package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.kit.CrashKit;
import dev.safemigrate.core.kit.TestDatabase;

class PostgresCrashTest extends CrashKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }
}
