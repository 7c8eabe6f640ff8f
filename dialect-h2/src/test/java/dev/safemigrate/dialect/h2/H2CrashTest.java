package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.CrashKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2CrashTest extends CrashKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
