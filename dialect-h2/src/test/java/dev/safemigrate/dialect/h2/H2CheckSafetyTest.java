package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.H2CheckSafetyKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2CheckSafetyTest extends H2CheckSafetyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
