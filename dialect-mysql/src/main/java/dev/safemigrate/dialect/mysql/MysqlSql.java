package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.StandardSql;
import dev.safemigrate.core.model.OrderItem;
import java.util.ArrayList;
import java.util.List;

/**
 * The step SQL for MySQL and MariaDB. Rows are deleted and updated with multi-table
 * {@code DELETE ... JOIN} / {@code UPDATE ... JOIN} against the archive, never with
 * {@code NOT IN (subquery on the same table)} (error 1093, and quadratic where it runs).
 *
 * <p>Under {@code LOCK TABLES} a statement may name a table only as it was locked: by its name or by
 * an alias locked for that very table, and no alias may be locked for two tables. So statements here
 * give base tables no alias at all (columns are qualified with the table's own name), and where a
 * statement reads a table twice the second reference is {@link #secondAlias}; {@link MysqlTableLocks}
 * locks every table under both. Derived tables keep short aliases; they need no lock.
 */
public class MysqlSql extends StandardSql {
    private static final String ROW_NUMBER = "sm_rn";

    public MysqlSql(Dialect dialect) {
        super(dialect);
    }

    /** Prefixes of the aliases for the second and third reference to a table in one statement; {@link MysqlTableLocks} locks each. */
    static final List<String> ALIAS_PREFIXES = List.of("x_", "y_");

    /** The alias for a second reference to {@code table} in one statement (a self-join). */
    static String secondAlias(String tableName) {
        return ALIAS_PREFIXES.get(0) + tableName;
    }

    /** The first reference is the table's own name, later ones the locked aliases. */
    @Override
    protected Ref ref(ResolvedTable table, String alias, int occurrence) {
        if (occurrence == 0) {
            return new Ref(table(table), table(table));
        }
        String name = quote(ALIAS_PREFIXES.get(occurrence - 1) + table.name());
        return new Ref(table(table) + " " + name, name);
    }

    private String second(ResolvedTable table) {
        return quote(secondAlias(table.name()));
    }

    @Override
    public String limit(String select, int rows) {
        return select + " LIMIT " + rows;
    }

    @Override
    protected String losersQualifier(ResolvedTable table) {
        return table(table);
    }

    @Override
    public String duplicateKeys(ResolvedTable table, List<String> key, boolean nullsEqual) {
        String t = table(table);
        return "SELECT " + qualifiedColumns(t, key) + ", COUNT(*) FROM " + t
                + (nullsEqual ? "" : " WHERE " + notNull(t, key))
                + " GROUP BY " + qualifiedColumns(t, key) + " HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC";
    }

    @Override
    public String deleteArchived(ResolvedTable target, ResolvedTable archive) {
        return "DELETE " + table(target) + " FROM " + table(target) + " JOIN " + table(archive) + " ON "
                + joinOn(table(archive), table(target), target.primaryKey(), target.primaryKey());
    }

    /** A losers relation in a FROM clause and the name its columns are qualified with: a derived table gets alias {@code l}. */
    private static String[] relation(String losers) {
        return losers.startsWith("(") ? new String[] {losers + " l", "l"} : new String[] {losers, losers};
    }

    /**
     * A primary key, not a secondary index: InnoDB keeps rows in primary-key order, so the joins on the
     * archive find the row with the key, instead of a secondary-index lookup and then a clustered one
     * (which costs reads once the archive outgrows the buffer pool; see bench/RESULTS.md).
     */
    @Override
    protected String archiveKey(String archiveName, List<String> keyColumns) {
        return "ALTER TABLE " + quote(archiveName) + " ADD PRIMARY KEY (" + columnList(keyColumns) + ")";
    }

    /**
     * A join from the losers (their ids are unique, so no child row comes twice): MariaDB runs an
     * {@code EXISTS} as a scan of every child row, the join as one index lookup per loser.
     */
    @Override
    public String referencingRows(ResolvedTable child, String column, String losers, String parentPk) {
        String c = table(child);
        String[] l = relation(losers);
        return "SELECT " + qualifiedColumns(c, child.columnNames()) + " FROM " + l[0] + " JOIN " + c
                + " ON " + l[1] + "." + quote(parentPk) + " = " + c + "." + quote(column);
    }

    @Override
    public String repoint(ResolvedTable child, String column, ResolvedTable parentArchive, String parentPk) {
        String c = table(child);
        String a = table(parentArchive);
        return "UPDATE " + c + " JOIN " + a + " ON " + a + "." + quote(parentPk) + " = " + c + "." + quote(column)
                + " SET " + c + "." + quote(column) + " = " + a + "." + quote(KEEP_PREFIX + 1);
    }

    /** A join names the archive once: MySQL refuses a table named twice (even under its own name) while LOCK TABLES holds. */
    @Override
    public String setFromArchive(ResolvedTable target, String column, ResolvedTable archive, String archiveColumn, long offset) {
        String t = table(target);
        String b = table(archive);
        return "UPDATE " + t + " JOIN " + b + " ON " + joinOn(b, t, target.primaryKey(), target.primaryKey())
                + " SET " + t + "." + quote(column) + " = " + b + "." + quote(archiveColumn) + " + " + offset;
    }

    @Override
    public String restoreColumn(ResolvedTable child, String column, ResolvedTable childArchive) {
        String c = table(child);
        String b = table(childArchive);
        return "UPDATE " + c + " JOIN " + b + " ON " + joinOn(b, c, child.primaryKey(), child.primaryKey())
                + " SET " + c + "." + quote(column) + " = " + b + "." + quote(column);
    }

    @Override
    public String repointConflicts(ResolvedTable child, String column, List<String> uniqueColumns, String losers,
                                   String parentPk, ResolvedTable excluded) {
        String c = table(child);
        String[] l = relation(losers);
        List<String> partition = new ArrayList<>();
        for (String u : uniqueColumns) {
            partition.add(u.equals(column) ? "COALESCE(" + l[1] + "." + quote(KEEP_PREFIX + 1) + ", " + c + "." + quote(u) + ")" : c + "." + quote(u));
        }
        String moved = "CASE WHEN " + l[1] + "." + quote(parentPk) + " IS NULL THEN 0 ELSE 1 END";
        String inner = "SELECT " + c + ".*, ROW_NUMBER() OVER (PARTITION BY " + String.join(", ", partition) + " ORDER BY " + moved + ", "
                + qualifiedColumns(c, child.primaryKey()) + ") AS " + quote(ROW_NUMBER)
                + " FROM " + c + " LEFT JOIN " + l[0] + " ON " + l[1] + "." + quote(parentPk) + " = " + c + "." + quote(column)
                + " WHERE " + notNull(c, uniqueColumns);
        if (excluded != null) {
            String x = second(excluded);
            inner += " AND NOT EXISTS (SELECT 1 FROM " + table(excluded) + " " + x + " WHERE " + joinOn(x, c, child.primaryKey(), child.primaryKey()) + ")";
        }
        return "SELECT " + qualifiedColumns("r", child.columnNames()) + " FROM (" + inner + ") r WHERE r." + quote(ROW_NUMBER) + " > 1";
    }

    @Override
    public String countDangling(ResolvedTable child, String column, ResolvedTable parent, String parentPk) {
        String c = table(child);
        String p = second(parent);
        return "SELECT COUNT(*) FROM " + c + " WHERE " + c + "." + quote(column) + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                + table(parent) + " " + p + " WHERE " + p + "." + quote(parentPk) + " = " + c + "." + quote(column) + ")";
    }

    /**
     * {@code ALTER TABLE ... ADD CONSTRAINT ... UNIQUE}, after checking the key fits in an index. InnoDB
     * keys hold at most 3072 bytes: MySQL rejects a longer key with error 1071, and MariaDB silently
     * builds a hash-based "long unique" index instead, whose checks differ from a B-tree's; either way
     * the migration is refused rather than run into it.
     */
    @Override
    public String addUnique(ResolvedTable table, String name, List<String> columns, boolean nullsEqual) {
        if (nullsEqual) {
            throw SafeMigrateException.refused("add_unique " + name + " on " + table
                    + ": MySQL and MariaDB unique indexes always treat NULLs as distinct; NULLS NOT DISTINCT cannot be enforced");
        }
        KeyLength.require(table, name, columns);
        return "ALTER TABLE " + table(table) + " ADD CONSTRAINT " + quote(name) + " UNIQUE (" + columnList(columns) + ")";
    }

    @Override
    public String dropUnique(ResolvedTable table, String name) {
        return "ALTER TABLE " + table(table) + " DROP INDEX " + quote(name);
    }

    /** {@code CREATE TABLE ... LIKE} copies columns, keys and indexes, but neither foreign keys nor triggers ({@link #shadowSwapObstacles}). */
    @Override
    public String createLike(ResolvedTable source, ResolvedTable copy) {
        return "CREATE TABLE " + table(copy) + " LIKE " + table(source);
    }

    /**
     * Exactly the complement of {@link #losers}: the first row of each key group, and every row with a
     * NULL key column when NULLs are distinct. One window over {@code source}, named once, as LOCK TABLES
     * requires; a plain INSERT, so a row the copy's unique key rejects fails the statement instead of
     * being dropped (never INSERT IGNORE or REPLACE).
     */
    @Override
    public String insertSurvivors(ResolvedTable source, ResolvedTable copy, List<String> key, List<OrderItem> order, boolean nullsEqual) {
        String t = table(source);
        String ranked = "SELECT " + t + ".*, ROW_NUMBER() OVER (PARTITION BY " + qualifiedColumns(t, key) + " ORDER BY "
                + orderBy(t, order, source) + ") AS " + quote(ROW_NUMBER) + " FROM " + t;
        StringBuilder keep = new StringBuilder("w." + quote(ROW_NUMBER) + " = 1");
        if (!nullsEqual) {
            key.forEach(k -> keep.append(" OR w.").append(quote(k)).append(" IS NULL"));
        }
        List<String> columns = source.columnNames();
        return "INSERT INTO " + table(copy) + " (" + columnList(columns) + ") SELECT " + qualifiedColumns("w", columns)
                + " FROM (" + ranked + ") w WHERE " + keep;
    }

    /** One {@code RENAME TABLE} renames both tables atomically; the leading comment lets the process list find it. */
    @Override
    public String swapTables(ResolvedTable table, ResolvedTable shadow, ResolvedTable old, String marker) {
        return "/* " + marker + " */ RENAME TABLE " + table(table) + " TO " + table(old) + ", " + table(shadow) + " TO " + table(table);
    }

    @Override
    public String countSessionsRunning(String marker, boolean waiting) {
        return "SELECT COUNT(*) FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND info LIKE '%/* " + marker + " */%'"
                + (waiting ? " AND state = 'Waiting for table metadata lock'" : "");
    }

    /** MySQL 8 may serve a cached value here, older than the table's counter; a lower value is raised to the copy's own maximum. */
    @Override
    public String nextAutoIncrement(ResolvedTable table) {
        return "SELECT COALESCE(MAX(auto_increment), 0) FROM information_schema.tables WHERE table_schema = " + schemaLiteral(table)
                + " AND table_name = " + literal(table.name());
    }

    @Override
    public String setNextAutoIncrement(ResolvedTable table, long next) {
        return "ALTER TABLE " + table(table) + " AUTO_INCREMENT = " + next;
    }

    private static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String schemaLiteral(ResolvedTable table) {
        return table.schema() == null ? "DATABASE()" : literal(table.schema());
    }

    @Override
    public String shadowSwapObstacles(ResolvedTable table) {
        String schema = schemaLiteral(table);
        String name = literal(table.name());
        return "SELECT CONCAT('foreign key ', constraint_name) FROM information_schema.referential_constraints WHERE constraint_schema = "
                + schema + " AND table_name = " + name + " UNION ALL SELECT CONCAT('trigger ', trigger_name) FROM information_schema.triggers"
                + " WHERE event_object_schema = " + schema + " AND event_object_table = " + name;
    }
}
