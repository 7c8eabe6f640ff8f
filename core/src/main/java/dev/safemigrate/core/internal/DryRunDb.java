package dev.safemigrate.core.internal;

import dev.safemigrate.core.spi.Db;
import java.util.List;

/**
 * {@link Db} for a dry run ({@code plan --sql}): logs every statement and executes none. Queries answer 0 and no
 * rows, which is what every check counts when it holds: the dry run follows the path of a run whose checks pass.
 */
final class DryRunDb implements Db {
    private final StatementLog log;

    DryRunDb(StatementLog log) {
        this.log = log;
    }

    @Override
    public long queryLong(String sql) {
        log.statement(sql);
        return 0;
    }

    @Override
    public List<List<String>> sample(String sql, int limit) {
        log.statement(sql);
        return List.of();
    }

    @Override
    public long update(String sql) {
        log.statement(sql);
        return 0;
    }

    @Override
    public void execute(String sql) {
        log.statement(sql);
    }
}
