package com.example.safemigrate;

import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.sql.Sql;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The statements of {@code trim_spaces} on one column, quoted through the dialect's {@link dev.safemigrate.core.sql.SqlSyntax}
 * so they follow whatever database the run is on. All are set-based: values never leave the database.
 */
final class TrimSql {
    private final Sql sql;
    private final ResolvedTable table;
    private final String column;

    TrimSql(Sql sql, ResolvedTable table, String column) {
        this.sql = sql;
        this.table = table;
        this.column = column;
    }

    /**
     * Values with a leading or trailing space. Lengths are compared, not the values, because PAD SPACE
     * collations (MySQL, MariaDB) consider {@code 'a '} equal to {@code 'a'}.
     */
    private String padded() {
        String value = sql.syntax().quote(column);
        return "CHAR_LENGTH(" + value + ") <> CHAR_LENGTH(TRIM(" + value + "))";
    }

    String countPadded() {
        return "SELECT COUNT(*) FROM " + sql.syntax().table(table) + " WHERE " + padded();
    }

    /** Primary keys of the first padded rows, for plans and messages. */
    String paddedKeys(int rows) {
        String pk = sql.syntax().columnList(table.primaryKey());
        return sql.syntax().limit("SELECT " + pk + " FROM " + sql.syntax().table(table) + " WHERE " + padded() + " ORDER BY " + pk, rows);
    }

    /** Copies each padded row, every column, into {@code archive}. */
    String archivePadded(ResolvedTable archive) {
        return sql.archive().archiveSelect(archive, "SELECT " + sql.syntax().columnList(table.columnNames()) + " FROM " + sql.syntax().table(table) + " WHERE " + padded());
    }

    /**
     * Trims exactly the rows in {@code archive}, not whatever is padded now, so every changed value has its
     * before-image even if a row became padded between the two statements.
     */
    String trimArchived(ResolvedTable archive) {
        String value = sql.syntax().quote(column);
        String match = table.primaryKey().stream()
                .map(pk -> "a." + sql.syntax().quote(pk) + " = " + sql.syntax().table(table) + "." + sql.syntax().quote(pk))
                .collect(Collectors.joining(" AND "));
        return "UPDATE " + sql.syntax().table(table) + " SET " + value + " = TRIM(" + value + ") WHERE EXISTS (SELECT 1 FROM "
                + sql.syntax().table(archive) + " a WHERE " + match + ")";
    }

    /** {@code (1), (7, x)}: sample primary keys for humans. */
    static List<String> format(List<List<String>> keys) {
        return keys.stream().map(key -> "(" + String.join(", ", key) + ")").toList();
    }
}
