package dev.safemigrate.flyway;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import java.time.Duration;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.executor.Context;
import org.flywaydb.core.api.executor.MigrationExecutor;
import org.flywaydb.core.internal.jdbc.Results;

/**
 * Runs one rules file through safemigrate on Flyway's data source, on connections of safemigrate's own:
 * never inside Flyway's transaction, since on MySQL and H2 a DDL statement would commit it half-way and
 * safemigrate's own strategy (one transaction, or compensation) is what keeps the data safe. A failure
 * reaches Flyway as a {@link FlywayException} that names the exit code's meaning, so Flyway records the
 * version as failed.
 */
final class RulesFileExecutor implements MigrationExecutor {
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);

    private final Migration migration;
    private final Extensions extensions;

    RulesFileExecutor(Migration migration, Extensions extensions) {
        this.migration = migration;
        this.extensions = extensions;
    }

    @Override
    public List<Results> execute(Context context) {
        SafeMigrate safeMigrate = SafeMigrate.builder().dataSource(context.getConfiguration().getDataSource()).extensions(extensions)
                .lockTimeout(LOCK_TIMEOUT).build();
        try {
            safeMigrate.migrate(List.of(migration));
        } catch (SafeMigrateException e) {
            throw new FlywayException("safemigrate migration " + migration.id() + " failed (exit " + e.exitCode().code() + ": "
                    + e.exitCode().meaning() + "): " + e.getMessage(), e);
        }
        return List.of();
    }

    @Override
    public boolean canExecuteInTransaction() {
        return false;
    }

    @Override
    public boolean shouldExecute() {
        return true;
    }
}
