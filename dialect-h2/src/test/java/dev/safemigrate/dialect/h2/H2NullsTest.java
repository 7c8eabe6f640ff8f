package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.NullsKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2NullsTest extends NullsKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
