package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.FaultSweepKit;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.steps.Repoint;

/**
 * The fault sweep over the on_conflict: delete path, whose INSERT ... SELECT reads the archive it
 * writes (a second alias of the same table under LOCK TABLES).
 */
class MysqlFaultSweepOnConflictDeleteTest extends FaultSweepKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    @Override
    protected Migration sweptMigration() {
        return migration("kit_001_invariants", dedupeInvariants(Repoint.OnConflict.DELETE), uniqueInvariants());
    }
}
