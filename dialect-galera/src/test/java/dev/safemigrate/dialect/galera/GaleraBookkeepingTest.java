package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.kit.BookkeepingKit;
import dev.safemigrate.core.kit.TestDatabase;

class GaleraBookkeepingTest extends BookkeepingKit {
    @Override
    protected TestDatabase.Provider provider() {
        return GaleraDatabases.INSTANCE;
    }
}
