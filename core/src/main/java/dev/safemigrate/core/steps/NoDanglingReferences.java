package dev.safemigrate.core.steps;

import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.CheckResult;
import dev.safemigrate.core.spi.Invariant;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.core.sql.SqlSyntax;
import dev.safemigrate.core.spi.StepContext;
import java.sql.SQLException;
import java.util.List;

/**
 * Every non-null {@code child.column} matches a row of {@code parent}'s primary key. Within a run,
 * {@code deletedRows} is the archive of the parent rows the run deleted: only references to those can
 * have stopped matching, so the check counts them through the archive instead of reading every child
 * row. Without it ({@code verify}) every child row is checked.
 */
public record NoDanglingReferences(TableName child, String column, TableName parent, ResolvedTable deletedRows) implements Invariant {
    @Override
    public String description() {
        return "no dangling references from " + child + "." + column + " to " + parent;
    }

    @Override
    public CheckResult check(StepContext context) throws SQLException {
        ResolvedTable childTable = context.table(child);
        ResolvedTable parentTable = context.table(parent);
        String childColumn = context.column(childTable, column);
        String parentPk = parentTable.primaryKey().get(0);
        Sql sql = context.dialect().sql();
        String count = deletedRows == null ? sql.dedupe().countDangling(childTable, childColumn, parentTable, parentPk)
                : sql.syntax().countRows("(" + sql.dedupe().referencingRows(childTable, childColumn, SqlSyntax.Relation.of(deletedRows), parentPk) + ")");
        long dangling = context.db().queryLong(count);
        return dangling == 0 ? CheckResult.holds(description())
                : new CheckResult(description(), false, dangling, List.of(), dangling + " row(s) of " + child + " point at no row of " + parent
                        + (deletedRows == null ? "" : " (at rows this run deleted)"));
    }
}
