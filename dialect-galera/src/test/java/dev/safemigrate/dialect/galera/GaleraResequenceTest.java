package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.kit.ResequenceKit;
import dev.safemigrate.core.kit.TestDatabase;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Minutes on the cluster: run with {@code -Dsafemigrate.galera.slowKits=true}. */
@EnabledIfSystemProperty(named = "safemigrate.galera.slowKits", matches = "true")
class GaleraResequenceTest extends ResequenceKit {
    @Override
    protected TestDatabase.Provider provider() {
        return GaleraDatabases.INSTANCE;
    }
}
