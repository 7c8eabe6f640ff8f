package dev.safemigrate.core.steps;

import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.CheckResult;
import dev.safemigrate.core.spi.Invariant;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.core.spi.StepContext;
import java.sql.SQLException;
import java.util.List;

/**
 * No two rows share a key, counted as the unique constraint will count them: by the database's own
 * grouping (so with the columns' collation) and with NULLs distinct unless {@code nullsEqual}.
 */
public record NoDuplicates(TableName table, List<String> columns, boolean nullsEqual) implements Invariant {
    @Override
    public String description() {
        return "no duplicates on " + table + " (" + String.join(", ", columns) + ")" + (nullsEqual ? " with NULLs equal" : "");
    }

    @Override
    public CheckResult check(StepContext context) throws SQLException {
        ResolvedTable resolved = context.table(table);
        List<String> key = columns.stream().map(c -> context.column(resolved, c)).toList();
        Sql sql = context.dialect().sql();
        long groups = context.db().queryLong(sql.dedupe().countDuplicateGroups(resolved, key, nullsEqual));
        if (groups == 0) {
            return CheckResult.holds(description());
        }
        List<String> samples = context.db().sample(sql.syntax().limit(sql.dedupe().duplicateKeys(resolved, key, nullsEqual), 5), 5).stream()
                .map(NoDuplicates::formatGroup).toList();
        return new CheckResult(description(), false, groups, samples, groups + " key(s) still appear more than once");
    }

    /** {@code (a, b) x3} from a row of key values followed by the count. */
    static String formatGroup(List<String> row) {
        return "(" + String.join(", ", row.subList(0, row.size() - 1)) + ") x" + row.get(row.size() - 1);
    }
}
