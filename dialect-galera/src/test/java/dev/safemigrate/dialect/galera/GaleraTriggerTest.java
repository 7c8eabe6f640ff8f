package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.kit.TriggerKit;
import dev.safemigrate.core.kit.TestDatabase;

class GaleraTriggerTest extends TriggerKit {
    @Override
    protected TestDatabase.Provider provider() {
        return GaleraDatabases.INSTANCE;
    }
}
