package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.spi.DdlStatement;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.StandardSql;
import java.util.List;
import java.util.stream.Collectors;

/**
 * PostgreSQL's SQL where it beats the standard form: joins in {@code DELETE ... USING} and
 * {@code UPDATE ... FROM} (hash joins instead of a correlated subquery per row), and
 * {@code OVERRIDING SYSTEM VALUE} so rows of a {@code GENERATED ALWAYS} identity column can be put back.
 */
final class PostgresSql extends StandardSql {
    PostgresSql(Dialect dialect) {
        super(dialect);
    }

    private String equalities(String left, String right, List<String> columns) {
        return columns.stream().map(c -> left + "." + quote(c) + " = " + right + "." + quote(c)).collect(Collectors.joining(" AND "));
    }

    /** A freshly filled table has no statistics, so the joins against it would be planned blind. */
    @Override
    public List<String> archiveFilled(ResolvedTable archive) {
        return List.of("ANALYZE " + table(archive));
    }

    @Override
    public String deleteArchived(ResolvedTable target, ResolvedTable archive) {
        return "DELETE FROM " + table(target) + " AS t USING " + table(archive) + " AS a WHERE " + equalities("a", "t", target.primaryKey());
    }

    @Override
    protected String overridingSystemValue() {
        return " OVERRIDING SYSTEM VALUE";
    }

    @Override
    public String repoint(ResolvedTable child, String column, ResolvedTable parentArchive, String parentPk) {
        return "UPDATE " + table(child) + " AS c SET " + quote(column) + " = l." + quote(KEEP_PREFIX + 1) + " FROM " + table(parentArchive)
                + " AS l WHERE l." + quote(parentPk) + " = c." + quote(column);
    }

    @Override
    public String restoreColumn(ResolvedTable child, String column, ResolvedTable childArchive) {
        return "UPDATE " + table(child) + " AS c SET " + quote(column) + " = b." + quote(column) + " FROM " + table(childArchive)
                + " AS b WHERE " + equalities("b", "c", child.primaryKey());
    }

    /**
     * The index is built first under the SHARE lock {@code CREATE UNIQUE INDEX} takes, which readers pass;
     * only attaching it as the constraint needs the table exclusively, for a moment. PostgreSQL cannot attach
     * an index on a partitioned table, which keeps the one {@code ADD CONSTRAINT}.
     */
    @Override
    public List<DdlStatement> addUniqueStatements(ResolvedTable table, String name, List<String> columns, boolean nullsEqual) {
        if (table.partitioned()) {
            return super.addUniqueStatements(table, name, columns, nullsEqual);
        }
        String index = "CREATE UNIQUE INDEX " + quote(name) + " ON " + table(table) + " (" + columnList(columns) + ")"
                + (nullsEqual ? " NULLS NOT DISTINCT" : "");
        String dropIndex = "DROP INDEX IF EXISTS " + (table.schema() == null ? "" : quote(table.schema()) + ".") + quote(name);
        return List.of(new DdlStatement(index, dropIndex, false),
                new DdlStatement("ALTER TABLE " + table(table) + " ADD CONSTRAINT " + quote(name) + " UNIQUE USING INDEX " + quote(name),
                        dropUnique(table, name), true));
    }

    @Override
    public String dropUnique(ResolvedTable table, String name) {
        return "ALTER TABLE " + table(table) + " DROP CONSTRAINT IF EXISTS " + quote(name);
    }
}
