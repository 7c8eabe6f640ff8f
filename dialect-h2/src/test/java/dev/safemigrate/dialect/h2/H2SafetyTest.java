package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.SafetyKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2SafetyTest extends SafetyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
