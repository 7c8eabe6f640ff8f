package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.TriggerKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2TriggerTest extends TriggerKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
