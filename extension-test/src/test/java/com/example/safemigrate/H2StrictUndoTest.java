package com.example.safemigrate;

import dev.safemigrate.core.kit.UndoKit;
import dev.safemigrate.core.kit.TestDatabase;

class H2StrictUndoTest extends UndoKit {
    @Override
    protected TestDatabase.Provider provider() {
        return StrictH2.DATABASES;
    }

}
