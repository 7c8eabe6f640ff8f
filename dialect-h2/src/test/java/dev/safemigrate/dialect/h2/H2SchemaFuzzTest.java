package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.kit.fuzz.SchemaFuzzKit;

class H2SchemaFuzzTest extends SchemaFuzzKit {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }

    @Override
    protected int defaultCases() {
        return 30;
    }
}
