package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.UndoSafetyKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2UndoSafetyTest extends UndoSafetyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }
}
