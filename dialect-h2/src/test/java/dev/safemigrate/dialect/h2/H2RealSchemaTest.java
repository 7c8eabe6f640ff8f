package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.RealSchemaKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2RealSchemaTest extends RealSchemaKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
