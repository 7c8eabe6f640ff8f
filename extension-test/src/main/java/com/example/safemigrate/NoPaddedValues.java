package com.example.safemigrate;

import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.CheckResult;
import dev.safemigrate.core.spi.Invariant;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.StepContext;
import java.sql.SQLException;

/** No value of {@code table.column} starts or ends with a space: what {@code trim_spaces} promises and {@code verify} checks. */
public record NoPaddedValues(TableName table, String column) implements Invariant {
    @Override
    public String description() {
        return "no leading or trailing spaces in " + table + "." + column;
    }

    @Override
    public CheckResult check(StepContext context) throws SQLException {
        ResolvedTable resolved = context.table(table);
        TrimSql sql = new TrimSql(context.dialect().sql(), resolved, context.column(resolved, column));
        long padded = context.db().queryLong(sql.countPadded());
        if (padded == 0) {
            return CheckResult.holds(description());
        }
        return new CheckResult(description(), false, padded, TrimSql.format(context.db().sample(sql.paddedKeys(5), 5)),
                padded + " value(s) still start or end with a space");
    }
}
