package dev.safemigrate.core.sql;

import dev.safemigrate.core.spi.ResolvedTable;
import java.util.List;

/** What every part of a dialect's {@link Sql} shares: the dialect's {@link SqlSyntax}, with short names for what statements use most. */
public abstract class SqlPart {
    protected final SqlSyntax syntax;

    protected SqlPart(SqlSyntax syntax) {
        this.syntax = syntax;
    }

    protected String quote(String identifier) {
        return syntax.quote(identifier);
    }

    protected String table(ResolvedTable table) {
        return syntax.table(table);
    }

    protected SqlSyntax.Ref ref(ResolvedTable table, String alias, int occurrence) {
        return syntax.ref(table, alias, occurrence);
    }

    protected String columnList(List<String> columns) {
        return syntax.columnList(columns);
    }

    protected String qualifiedColumns(String qualifier, List<String> columns) {
        return syntax.qualifiedColumns(qualifier, columns);
    }

    protected String joinOn(String left, String right, List<String> leftColumns, List<String> rightColumns) {
        return syntax.joinOn(left, right, leftColumns, rightColumns);
    }
}
