package com.example.safemigrate;

import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.StandardSql;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The statements of {@code trim_spaces} on one column, quoted through the dialect's {@link StandardSql}
 * so they follow whatever database the run is on. All are set-based: values never leave the database.
 */
final class TrimSql {
    private final StandardSql sql;
    private final ResolvedTable table;
    private final String column;

    TrimSql(StandardSql sql, ResolvedTable table, String column) {
        this.sql = sql;
        this.table = table;
        this.column = column;
    }

    /**
     * Values with a leading or trailing space. Lengths are compared, not the values, because PAD SPACE
     * collations (MySQL, MariaDB) consider {@code 'a '} equal to {@code 'a'}.
     */
    private String padded() {
        String value = sql.quote(column);
        return "CHAR_LENGTH(" + value + ") <> CHAR_LENGTH(TRIM(" + value + "))";
    }

    String countPadded() {
        return "SELECT COUNT(*) FROM " + sql.table(table) + " WHERE " + padded();
    }

    /** Primary keys of the first padded rows, for plans and messages. */
    String paddedKeys(int rows) {
        String pk = sql.columnList(table.primaryKey());
        return sql.limit("SELECT " + pk + " FROM " + sql.table(table) + " WHERE " + padded() + " ORDER BY " + pk, rows);
    }

    /** Copies each padded row, every column, into {@code archive}. */
    String archivePadded(ResolvedTable archive) {
        return sql.archiveSelect(archive, "SELECT " + sql.columnList(table.columnNames()) + " FROM " + sql.table(table) + " WHERE " + padded());
    }

    /**
     * Trims exactly the rows in {@code archive}, not whatever is padded now, so every changed value has its
     * before-image even if a row became padded between the two statements.
     */
    String trimArchived(ResolvedTable archive) {
        String value = sql.quote(column);
        String match = table.primaryKey().stream()
                .map(pk -> "a." + sql.quote(pk) + " = " + sql.table(table) + "." + sql.quote(pk))
                .collect(Collectors.joining(" AND "));
        return "UPDATE " + sql.table(table) + " SET " + value + " = TRIM(" + value + ") WHERE EXISTS (SELECT 1 FROM "
                + sql.table(archive) + " a WHERE " + match + ")";
    }

    /** {@code (1), (7, x)}: sample primary keys for humans. */
    static List<String> format(List<List<String>> keys) {
        return keys.stream().map(key -> "(" + String.join(", ", key) + ")").toList();
    }
}
