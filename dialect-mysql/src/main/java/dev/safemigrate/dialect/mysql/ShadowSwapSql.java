package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.sql.SqlSyntax;
import java.util.List;

/** The statements of the shadow swap ({@link ShadowSwapStrategy}): the copy, its survivors, the rename and what watches it. */
final class ShadowSwapSql {
    private static final String ROW_NUMBER = "sm_rn";

    private final SqlSyntax syntax;

    ShadowSwapSql(SqlSyntax syntax) {
        this.syntax = syntax;
    }

    /** {@code CREATE TABLE ... LIKE} copies columns, keys and indexes, but neither foreign keys nor triggers ({@link #obstacles}). */
    String createLike(ResolvedTable source, ResolvedTable copy) {
        return "CREATE TABLE " + syntax.table(copy) + " LIKE " + syntax.table(source);
    }

    /**
     * Exactly the complement of the dedupe's losers: the first row of each key group, and every row with a
     * NULL key column when NULLs are distinct. One window over {@code source}, named once, as LOCK TABLES
     * requires; a plain INSERT, so a row the copy's unique key rejects fails the statement instead of
     * being dropped (never INSERT IGNORE or REPLACE). Generated columns are computed again in the copy.
     */
    String insertSurvivors(ResolvedTable source, ResolvedTable copy, List<String> key, List<OrderItem> order, boolean nullsEqual) {
        String t = syntax.table(source);
        String ranked = "SELECT " + t + ".*, ROW_NUMBER() OVER (PARTITION BY " + syntax.qualifiedColumns(t, key) + " ORDER BY "
                + syntax.orderBy(t, order, source) + ") AS " + syntax.quote(ROW_NUMBER) + " FROM " + t;
        StringBuilder keep = new StringBuilder("w." + syntax.quote(ROW_NUMBER) + " = 1");
        if (!nullsEqual) {
            key.forEach(k -> keep.append(" OR w.").append(syntax.quote(k)).append(" IS NULL"));
        }
        List<String> columns = source.writableColumnNames();
        return "INSERT INTO " + syntax.table(copy) + " (" + syntax.columnList(columns) + ") SELECT " + syntax.qualifiedColumns("w", columns)
                + " FROM (" + ranked + ") w WHERE " + keep;
    }

    /** One {@code RENAME TABLE} renames both tables atomically; the leading comment lets the process list find it. */
    String swapTables(ResolvedTable table, ResolvedTable shadow, ResolvedTable old, String marker) {
        return "/* " + marker + " */ RENAME TABLE " + syntax.table(table) + " TO " + syntax.table(old) + ", " + syntax.table(shadow)
                + " TO " + syntax.table(table);
    }

    /** How many other sessions run the statement tagged {@code marker}; {@code waiting}: only those waiting for a table lock. */
    String countSessionsRunning(String marker, boolean waiting) {
        return "SELECT COUNT(*) FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND info LIKE '%/* " + marker + " */%'"
                + (waiting ? " AND state = 'Waiting for table metadata lock'" : "");
    }

    /** MySQL 8 may serve a cached value here, older than the table's counter; a lower value is raised to the copy's own maximum. */
    String nextAutoIncrement(ResolvedTable table) {
        return "SELECT COALESCE(MAX(auto_increment), 0) FROM information_schema.tables WHERE table_schema = " + schemaLiteral(table)
                + " AND table_name = " + literal(table.name());
    }

    String setNextAutoIncrement(ResolvedTable table, long next) {
        return "ALTER TABLE " + syntax.table(table) + " AUTO_INCREMENT = " + next;
    }

    /** Names of what would stay with {@code table} rather than follow its rows into a copy: foreign keys out of it, triggers. */
    String obstacles(ResolvedTable table) {
        String schema = schemaLiteral(table);
        String name = literal(table.name());
        return "SELECT CONCAT('foreign key ', constraint_name) FROM information_schema.referential_constraints WHERE constraint_schema = "
                + schema + " AND table_name = " + name + " UNION ALL SELECT CONCAT('trigger ', trigger_name) FROM information_schema.triggers"
                + " WHERE event_object_schema = " + schema + " AND event_object_table = " + name;
    }

    private static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String schemaLiteral(ResolvedTable table) {
        return table.schema() == null ? "DATABASE()" : literal(table.schema());
    }
}
