package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.DedupeKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2DedupeTest extends DedupeKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
