package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.BookkeepingKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2BookkeepingTest extends BookkeepingKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
