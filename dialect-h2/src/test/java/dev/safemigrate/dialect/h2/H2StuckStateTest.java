package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.StuckStateKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2StuckStateTest extends StuckStateKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
