package dev.safemigrate.core.sql;

import java.util.List;

/**
 * The history and journal tables (the columns the engine reads and writes), spelled in a dialect's types. A
 * dialect returns these from {@code Dialect.bookkeepingTables}, or its own statements creating the same columns.
 */
public final class BookkeepingSql {
    /** The columns of {@code safemigrate_history}, as {@link #tables} creates them and the engine reads and writes them. */
    public static final List<String> HISTORY_COLUMNS = List.of("id", "checksum", "description", "status", "phase", "dialect", "strategy",
            "started_at", "finished_at", "step_counts", "message");
    /** The columns of {@code safemigrate_journal}, as {@link #tables} creates them and the engine reads and writes them. */
    public static final List<String> JOURNAL_COLUMNS = List.of("migration_id", "seq", "kind", "table_schema", "table_name", "object_name",
            "statement", "undo_statement");

    private BookkeepingSql() {
    }

    /**
     * {@code CREATE TABLE IF NOT EXISTS} for both tables. {@code idType}: a migration id, compared byte for byte
     * ({@code Fix_1} and {@code fix_1} are two migrations); {@code textType}: text of any length (descriptions,
     * messages, statements); {@code timeType}: a time with at least millisecond precision, so runs within one
     * second still have an order; {@code tableOptions}: written after each table's closing parenthesis.
     */
    public static List<String> tables(String idType, String textType, String timeType, String tableOptions) {
        return List.of("CREATE TABLE IF NOT EXISTS safemigrate_history (id " + idType + " NOT NULL PRIMARY KEY, checksum VARCHAR(64) NOT NULL,"
                        + " description " + textType + ", status VARCHAR(20) NOT NULL, phase VARCHAR(40), dialect VARCHAR(40), strategy VARCHAR(40),"
                        + " started_at " + timeType + " NULL, finished_at " + timeType + " NULL, step_counts " + textType + ", message " + textType
                        + ")" + tableOptions,
                "CREATE TABLE IF NOT EXISTS safemigrate_journal (migration_id " + idType + " NOT NULL, seq INTEGER NOT NULL,"
                        + " kind VARCHAR(16) NOT NULL, table_schema VARCHAR(128), table_name VARCHAR(128), object_name VARCHAR(128),"
                        + " statement " + textType + ", undo_statement " + textType + ", PRIMARY KEY (migration_id, seq))" + tableOptions);
    }
}
