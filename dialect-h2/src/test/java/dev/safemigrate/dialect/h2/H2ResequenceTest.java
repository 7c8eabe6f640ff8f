package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.ResequenceKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2ResequenceTest extends ResequenceKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
