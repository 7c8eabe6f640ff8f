package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.kit.KeyGuardKit;
import dev.safemigrate.core.kit.TestDatabase;

class GaleraKeyGuardTest extends KeyGuardKit {
    @Override
    protected TestDatabase.Provider provider() {
        return GaleraDatabases.INSTANCE;
    }
}
