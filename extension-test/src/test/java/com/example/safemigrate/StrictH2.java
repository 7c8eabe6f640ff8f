package com.example.safemigrate;

import dev.safemigrate.core.kit.H2Memory;
import dev.safemigrate.core.kit.TestDatabase;

/** In-memory H2 databases in {@code MODE=STRICT}, one per test; detection picks {@code h2-strict} for them by its probe. */
final class StrictH2 {
    static final TestDatabase.Provider DATABASES = StrictH2::create;

    private StrictH2() {
    }

    private static TestDatabase create(String name) {
        return H2Memory.open(name, ";MODE=STRICT");
    }
}
