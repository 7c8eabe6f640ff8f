package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.UndoKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2UndoTest extends UndoKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
