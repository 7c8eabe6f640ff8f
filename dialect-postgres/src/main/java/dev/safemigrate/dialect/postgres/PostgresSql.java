package dev.safemigrate.dialect.postgres;

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
    public String restoreRows(ResolvedTable target, ResolvedTable archive) {
        List<String> columns = target.columnNames();
        return "INSERT INTO " + table(target) + " (" + columnList(columns) + ") OVERRIDING SYSTEM VALUE SELECT "
                + qualifiedColumns("a", columns) + " FROM " + table(archive) + " AS a";
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

    @Override
    public String dropUnique(ResolvedTable table, String name) {
        return "ALTER TABLE " + table(table) + " DROP CONSTRAINT IF EXISTS " + quote(name);
    }
}
