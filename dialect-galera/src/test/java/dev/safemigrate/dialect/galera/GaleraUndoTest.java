package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.kit.UndoKit;
import dev.safemigrate.core.kit.TestDatabase;

class GaleraUndoTest extends UndoKit {
    @Override
    protected TestDatabase.Provider provider() {
        return GaleraDatabases.INSTANCE;
    }
}
