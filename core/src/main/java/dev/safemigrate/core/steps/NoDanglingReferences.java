package dev.safemigrate.core.steps;

import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.CheckResult;
import dev.safemigrate.core.spi.Invariant;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.StepContext;
import java.sql.SQLException;
import java.util.List;

/** Every non-null {@code child.column} matches a row of {@code parent}'s primary key. */
public record NoDanglingReferences(TableName child, String column, TableName parent) implements Invariant {
    @Override
    public String description() {
        return "no dangling references from " + child + "." + column + " to " + parent;
    }

    @Override
    public CheckResult check(StepContext context) throws SQLException {
        ResolvedTable childTable = context.table(child);
        ResolvedTable parentTable = context.table(parent);
        long dangling = context.db().queryLong(context.dialect().sql().countDangling(childTable,
                context.column(childTable, column), parentTable, parentTable.primaryKey().get(0)));
        return dangling == 0 ? CheckResult.holds(description())
                : new CheckResult(description(), false, dangling, List.of(), dangling + " row(s) of " + child
                        + " point at no row of " + parent);
    }
}
