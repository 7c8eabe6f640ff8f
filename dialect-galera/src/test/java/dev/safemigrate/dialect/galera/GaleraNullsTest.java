package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.kit.NullsKit;
import dev.safemigrate.core.kit.TestDatabase;

class GaleraNullsTest extends NullsKit {
    @Override
    protected TestDatabase.Provider provider() {
        return GaleraDatabases.INSTANCE;
    }
}
