package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.kit.DedupeKit;
import dev.safemigrate.core.kit.TestDatabase;

class GaleraDedupeTest extends DedupeKit {
    @Override
    protected TestDatabase.Provider provider() {
        return GaleraDatabases.INSTANCE;
    }
}
