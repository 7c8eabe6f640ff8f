package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.kit.UndoSafetyKit;
import dev.safemigrate.core.kit.TestDatabase;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Minutes on the cluster: run with {@code -Dsafemigrate.galera.slowKits=true}. */
@EnabledIfSystemProperty(named = "safemigrate.galera.slowKits", matches = "true")
class GaleraUndoSafetyTest extends UndoSafetyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return GaleraDatabases.INSTANCE;
    }
}
