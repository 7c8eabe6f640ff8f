package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.H2Memory;
import dev.safemigrate.core.kit.TestDatabase;

/** In-memory H2 databases for the kit: one per test, dropped on close. */
final class H2Databases implements TestDatabase.Provider {
    static final H2Databases INSTANCE = new H2Databases();

    @Override
    public TestDatabase create(String name) {
        return H2Memory.open(name, "");
    }
}
