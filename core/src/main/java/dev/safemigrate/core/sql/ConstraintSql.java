package dev.safemigrate.core.sql;

import dev.safemigrate.core.spi.DdlStatement;
import dev.safemigrate.core.spi.ResolvedTable;
import java.util.List;

/** Adding and dropping unique constraints. */
public class ConstraintSql extends SqlPart {
    public ConstraintSql(SqlSyntax syntax) {
        super(syntax);
    }

    /**
     * The statements that add unique constraint {@code name}, in order. By default the one
     * {@link #addUnique}, which needs the table exclusively; a dialect may build the index first under a
     * weaker lock and attach it in a brief exclusive step.
     */
    public List<DdlStatement> addUniqueStatements(ResolvedTable table, String name, List<String> columns, boolean nullsEqual) {
        return List.of(new DdlStatement(addUnique(table, name, columns, nullsEqual), dropUnique(table, name), true));
    }

    /** One statement adding the constraint; a dialect may refuse here what its database could not create (exit 3). */
    public String addUnique(ResolvedTable table, String name, List<String> columns, boolean nullsEqual) {
        return "ALTER TABLE " + table(table) + " ADD CONSTRAINT " + quote(name) + " UNIQUE "
                + (nullsEqual ? "NULLS NOT DISTINCT " : "") + "(" + columnList(columns) + ")";
    }

    public String dropUnique(ResolvedTable table, String name) {
        return "ALTER TABLE " + table(table) + " DROP CONSTRAINT " + quote(name);
    }
}
