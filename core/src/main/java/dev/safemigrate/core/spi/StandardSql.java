package dev.safemigrate.core.spi;

import dev.safemigrate.core.model.OrderItem;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of every built-in step, written in standard SQL that PostgreSQL, MySQL 8 / MariaDB 10.2+
 * and H2 2 accept. A dialect subclasses it and overrides what its database does differently or
 * faster. Every statement is set-based: rows never leave the database.
 *
 * <p>A "losers" relation is a table reference or parenthesized query with the loser rows' columns
 * plus {@code sm_keep_<i>}: the primary key of each loser's survivor. It is either the archive table
 * (while migrating) or {@link #losers} inline (while planning).
 */
public class StandardSql {
    public static final String KEEP_PREFIX = "sm_keep_";
    private static final String ROW_NUMBER = "sm_rn";

    private final Dialect dialect;

    public StandardSql(Dialect dialect) {
        this.dialect = dialect;
    }

    public String quote(String identifier) {
        return dialect.quote(identifier);
    }

    public String table(ResolvedTable table) {
        return table.schema() == null ? quote(table.name()) : quote(table.schema()) + "." + quote(table.name());
    }

    public String columnList(List<String> columns) {
        return columns.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    protected String qualifiedColumns(String alias, List<String> columns) {
        return columns.stream().map(c -> alias + "." + quote(c)).collect(Collectors.joining(", "));
    }

    protected String joinOn(String left, String right, List<String> leftColumns, List<String> rightColumns) {
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < leftColumns.size(); i++) {
            terms.add(left + "." + quote(leftColumns.get(i)) + " = " + right + "." + quote(rightColumns.get(i)));
        }
        return String.join(" AND ", terms);
    }

    /** A table as a statement reads it: the FROM item, and the name its columns are qualified with. */
    public record Ref(String from, String qualifier) {
        public String column(String quotedColumn) {
            return qualifier + "." + quotedColumn;
        }
    }

    /**
     * How a statement reads {@code table} the {@code occurrence}-th time (0 first) under {@code alias}. A
     * dialect whose table locks restrict how a table may be named (MySQL's LOCK TABLES) overrides this one
     * hook instead of copying statements.
     */
    protected Ref ref(ResolvedTable table, String alias, int occurrence) {
        return new Ref(table(table) + " " + alias, alias);
    }

    /** Written before the SELECT of an INSERT that puts back rows with their own values of identity columns. */
    protected String overridingSystemValue() {
        return "";
    }

    protected String notNull(String alias, List<String> columns) {
        return columns.stream().map(c -> alias + "." + quote(c) + " IS NOT NULL").collect(Collectors.joining(" AND "));
    }

    /** {@code select} cut to its first {@code rows} rows. */
    public String limit(String select, int rows) {
        return select + " FETCH FIRST " + rows + " ROWS ONLY";
    }

    public String countRows(ResolvedTable table) {
        return "SELECT COUNT(*) FROM " + table(table);
    }

    public String countRows(String relation) {
        return "SELECT COUNT(*) FROM " + relation + " r";
    }

    /**
     * An empty table with the columns (and types) of {@code source} plus {@code extra}, then
     * {@link #archiveKey} on {@code keyColumns} (the source's primary key), by which the run's joins look rows up.
     */
    public List<String> createArchiveTable(String archiveName, ResolvedTable source, List<ArchiveSpec.ExtraColumn> extra,
                                           List<String> keyColumns) {
        StringBuilder select = new StringBuilder("SELECT s.*");
        for (ArchiveSpec.ExtraColumn column : extra) {
            select.append(", s.").append(quote(column.sourceColumn())).append(" AS ").append(quote(column.archiveColumn()));
        }
        String create = "CREATE TABLE " + quote(archiveName) + " AS " + select + " FROM " + table(source) + " s WHERE 1 = 0";
        return List.of(create, archiveKey(archiveName, keyColumns));
    }

    /** The index by which an archive's rows are looked up. */
    protected String archiveKey(String archiveName, List<String> keyColumns) {
        return "CREATE INDEX " + quote(archiveName + "_ix") + " ON " + quote(archiveName) + " (" + columnList(keyColumns) + ")";
    }

    public String dropTable(ResolvedTable table) {
        return "DROP TABLE " + table(table);
    }

    public String deleteAll(ResolvedTable table) {
        return "DELETE FROM " + table(table);
    }

    /** ORDER BY terms for a total order: NULLs of an order column always sort last, then the primary key breaks ties. */
    public String orderBy(String alias, List<OrderItem> order, ResolvedTable table) {
        List<String> terms = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (OrderItem item : order) {
            String column = alias + "." + quote(item.column());
            if (isNullable(table, item.column())) {
                terms.add("CASE WHEN " + column + " IS NULL THEN 1 ELSE 0 END");
            }
            terms.add(column + (item.descending() ? " DESC" : " ASC"));
            seen.add(item.column());
        }
        for (String pk : table.primaryKey()) {
            if (!seen.contains(pk)) {
                terms.add(alias + "." + quote(pk) + " ASC");
            }
        }
        return String.join(", ", terms);
    }

    private static boolean isNullable(ResolvedTable table, String column) {
        return table.columns().stream().anyMatch(c -> c.name().equals(column) && c.nullable());
    }

    /**
     * Every row but the first of each key group, with its survivor's primary key as {@code sm_keep_<i>}.
     * A loser is a row whose key is not its survivor's: one window function per primary-key column and no
     * {@code ROW_NUMBER()} beside them, because H2 sorts once per window function (1,000,000 rows: 9.0 s
     * instead of 15.5 s).
     */
    public String losers(ResolvedTable table, List<String> key, List<OrderItem> order, boolean nullsEqual) {
        String s = losersQualifier(table);
        String window = "OVER (PARTITION BY " + qualifiedColumns(s, key) + " ORDER BY " + orderBy(s, order, table) + ")";
        StringBuilder select = new StringBuilder("SELECT " + s + ".*");
        List<String> survivor = new ArrayList<>();
        List<String> pk = table.primaryKey();
        for (int i = 0; i < pk.size(); i++) {
            String keep = quote(KEEP_PREFIX + (i + 1));
            select.append(", FIRST_VALUE(").append(s).append('.').append(quote(pk.get(i))).append(") ").append(window).append(" AS ").append(keep);
            survivor.add("w." + quote(pk.get(i)) + " = w." + keep);
        }
        select.append(" FROM ").append(table(table)).append(s.equals(table(table)) ? "" : " " + s);
        if (!nullsEqual) {
            select.append(" WHERE ").append(notNull(s, key));
        }
        return "(SELECT * FROM (" + select + ") w WHERE NOT (" + String.join(" AND ", survivor) + "))";
    }

    /** How {@link #losers} names the table: an alias, or the table itself where aliases are not allowed. */
    protected String losersQualifier(ResolvedTable table) {
        return "s";
    }

    public static List<String> keepColumns(ResolvedTable table) {
        List<String> keep = new ArrayList<>();
        for (int i = 1; i <= table.primaryKey().size(); i++) {
            keep.add(KEEP_PREFIX + i);
        }
        return keep;
    }

    /** Key groups holding more than one row, most rows first, as {@code key..., count}. */
    public String duplicateKeys(ResolvedTable table, List<String> key, boolean nullsEqual) {
        return "SELECT " + qualifiedColumns("s", key) + ", COUNT(*) FROM " + table(table) + " s"
                + (nullsEqual ? "" : " WHERE " + notNull("s", key))
                + " GROUP BY " + qualifiedColumns("s", key) + " HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC";
    }

    public String countDuplicateGroups(ResolvedTable table, List<String> key, boolean nullsEqual) {
        return "SELECT COUNT(*) FROM (" + duplicateKeys(table, key, nullsEqual).replace(" ORDER BY COUNT(*) DESC", "") + ") g";
    }

    /** Copies every row of {@code losers} into {@code archive} (all columns, including {@code sm_keep_<i>}). */
    public String archiveRows(ResolvedTable archive, String losers) {
        String columns = columnList(archive.columnNames());
        return "INSERT INTO " + table(archive) + " (" + columns + ") SELECT " + qualifiedColumns("l", archive.columnNames())
                + " FROM " + losers + " l";
    }

    /** Deletes the rows of {@code target} whose primary key is in {@code archive}. */
    public String deleteArchived(ResolvedTable target, ResolvedTable archive) {
        return "DELETE FROM " + table(target) + " WHERE EXISTS (SELECT 1 FROM " + table(archive) + " a WHERE "
                + matchTarget(target, "a", target.primaryKey()) + ")";
    }

    private String matchTarget(ResolvedTable target, String alias, List<String> columns) {
        return columns.stream().map(c -> alias + "." + quote(c) + " = " + table(target) + "." + quote(c))
                .collect(Collectors.joining(" AND "));
    }

    /** Puts the archived rows back into {@code target}, every column as it was (generated ones are computed again). */
    public String restoreRows(ResolvedTable target, ResolvedTable archive) {
        Ref a = ref(archive, "a", 0);
        return insertRestored(target) + qualifiedColumns(a.qualifier(), target.writableColumnNames()) + " FROM " + a.from();
    }

    private String insertRestored(ResolvedTable target) {
        return "INSERT INTO " + table(target) + " (" + columnList(target.writableColumnNames()) + ")" + overridingSystemValue() + " SELECT ";
    }

    /**
     * For a table whose foreign keys {@code selfKeys} point back into it, on a database that checks a
     * foreign key row by row: one generation of archived rows, those not back yet whose archived parents are
     * all back. Repeated until it inserts nothing, it puts parents back before their children.
     */
    public String restoreRowsParentsFirst(ResolvedTable target, ResolvedTable archive, List<ForeignKey> selfKeys) {
        Ref a = ref(archive, "a", 0);
        StringBuilder sql = new StringBuilder(restoreRemainder(target, archive));
        Ref p = ref(archive, "p", 1);
        Ref y = ref(target, "y", 2);
        for (ForeignKey key : selfKeys) {
            sql.append(" AND NOT EXISTS (SELECT 1 FROM ").append(p.from()).append(" WHERE ")
                    .append(joinOn(p.qualifier(), a.qualifier(), key.parentColumns(), key.childColumns()))
                    .append(" AND NOT EXISTS (SELECT 1 FROM ").append(y.from()).append(" WHERE ")
                    .append(joinOn(y.qualifier(), p.qualifier(), target.primaryKey(), target.primaryKey())).append("))");
        }
        return sql.toString();
    }

    /** The archived rows not back in {@code target} yet, put back. */
    public String restoreRemainder(ResolvedTable target, ResolvedTable archive) {
        Ref a = ref(archive, "a", 0);
        Ref x = ref(target, "x", 1);
        return restoreRows(target, archive) + " WHERE NOT EXISTS (SELECT 1 FROM " + x.from() + " WHERE "
                + joinOn(x.qualifier(), a.qualifier(), target.primaryKey(), target.primaryKey()) + ")";
    }

    /** Primary keys of {@code target} rows that an archived row of {@code archive} would collide with if put back. */
    public String rowsBlockingRestore(ResolvedTable target, ResolvedTable archive) {
        return "SELECT " + qualifiedColumns("t", target.primaryKey()) + " FROM " + table(target) + " t WHERE EXISTS (SELECT 1 FROM "
                + table(archive) + " a WHERE " + joinOn("a", "t", target.primaryKey(), target.primaryKey()) + ")";
    }

    /**
     * Child rows whose {@code column} points at a loser in {@code losers}. An uncorrelated IN lets every
     * database evaluate {@code losers} once (H2 re-runs a correlated derived table per row).
     */
    public String referencingRows(ResolvedTable child, String column, String losers, String parentPk) {
        return "SELECT " + qualifiedColumns("c", child.columnNames()) + " FROM " + table(child) + " c WHERE c." + quote(column)
                + " IN (SELECT l." + quote(parentPk) + " FROM " + losers + " l)";
    }

    /**
     * Statements run once an archive the run joins against has been filled, such as refreshing the
     * planner's statistics; none by default. Must not commit (they run inside the data transaction).
     */
    public List<String> archiveFilled(ResolvedTable archive) {
        return List.of();
    }

    public String archiveSelect(ResolvedTable archive, String select) {
        return "INSERT INTO " + table(archive) + " (" + columnList(archive.columnNames()) + ") " + select;
    }

    /** Points children at the survivor of the loser they point at. */
    public String repoint(ResolvedTable child, String column, ResolvedTable parentArchive, String parentPk) {
        String lookup = " FROM " + table(parentArchive) + " l WHERE l." + quote(parentPk) + " = " + table(child) + "." + quote(column);
        return "UPDATE " + table(child) + " SET " + quote(column) + " = (SELECT l." + quote(KEEP_PREFIX + 1) + lookup
                + ") WHERE EXISTS (SELECT 1" + lookup + ")";
    }

    /** Sets {@code column} back to its archived before-image, matching rows by primary key. */
    public String restoreColumn(ResolvedTable child, String column, ResolvedTable childArchive) {
        Ref b = ref(childArchive, "b", 0);
        String lookup = " FROM " + b.from() + " WHERE " + joinOn(b.qualifier(), table(child), child.primaryKey(), child.primaryKey());
        return "UPDATE " + table(child) + " SET " + quote(column) + " = (SELECT " + b.column(quote(column)) + lookup
                + ") WHERE EXISTS (SELECT 1" + lookup + ")";
    }

    /**
     * Sets the repointed {@code column} back to its archived before-image. Where the primary key holds
     * {@code column} itself (a join table), the repoint changed the row's key, so the row is found by the key
     * it has since: the survivor, read from {@code parentArchive}, in place of the loser.
     */
    public String restoreRepointed(ResolvedTable child, String column, ResolvedTable childArchive, ResolvedTable parentArchive,
                                   String parentPk) {
        if (!keyHolds(child, column)) {
            return restoreColumn(child, column, childArchive);
        }
        Ref b = ref(childArchive, "b", 0);
        Ref d = ref(parentArchive, "d", 0);
        String lookup = " FROM " + b.from() + ", " + d.from() + " WHERE " + survivorOf(b, d, column, parentPk) + " AND "
                + afterImage(child, table(child), column, b, d);
        return "UPDATE " + table(child) + " SET " + quote(column) + " = (SELECT " + b.column(quote(column)) + lookup
                + ") WHERE EXISTS (SELECT 1" + lookup + ")";
    }

    /** Whether {@code column} is part of the table's primary key, so repointing it changes the row's key. */
    protected static boolean keyHolds(ResolvedTable table, String column) {
        return table.primaryKey().contains(column);
    }

    /** Joins the survivor {@code d} (a parent archive row) to the before-image {@code b} of a row that pointed at its loser. */
    protected String survivorOf(Ref b, Ref d, String column, String parentPk) {
        return d.column(quote(parentPk)) + " = " + b.column(quote(column));
    }

    /**
     * The row {@code c} as the repoint left the before-image {@code b}: the same primary key, with the
     * survivor {@code d}'s key in place of the loser where the key holds {@code column}.
     */
    protected String afterImage(ResolvedTable child, String c, String column, Ref b, Ref d) {
        List<String> terms = new ArrayList<>();
        for (String k : child.primaryKey()) {
            terms.add((k.equals(column) ? d.column(quote(KEEP_PREFIX + 1)) : b.column(quote(k))) + " = " + c + "." + quote(k));
        }
        return String.join(" AND ", terms);
    }

    /**
     * Primary keys of archived rows ({@code b}) whose row in {@code target} no longer has the value the
     * migration gave its {@code column}, kept in the archive's {@code afterColumn}: changed or deleted since.
     */
    public String rowsChangedSince(ResolvedTable target, String column, ResolvedTable archive, String afterColumn) {
        Ref b = ref(archive, "b", 0);
        Ref c = ref(target, "c", 0);
        return "SELECT " + qualifiedColumns(b.qualifier(), target.primaryKey()) + " FROM " + b.from() + " WHERE NOT EXISTS (SELECT 1 FROM "
                + c.from() + " WHERE " + joinOn(c.qualifier(), b.qualifier(), target.primaryKey(), target.primaryKey()) + " AND "
                + c.column(quote(column)) + " = " + b.column(quote(afterColumn)) + ")";
    }

    /**
     * Before-images of repointed rows whose row is no longer as the migration left it (pointing at the
     * survivor): changed or deleted since. An undo would overwrite or miss them, so they refuse it. Where the
     * child is the deduped table itself, rows the migration deleted (losers pointing at losers) are not
     * counted: the undo puts them back whole.
     */
    public String repointedRowsChangedSince(ResolvedTable child, String column, ResolvedTable childArchive, ResolvedTable parentArchive,
                                            String parentPk, boolean childIsParent) {
        Ref b = ref(childArchive, "b", 0);
        Ref d = ref(parentArchive, "d", 0);
        Ref c = ref(child, "c", 0);
        String select = "SELECT " + qualifiedColumns(b.qualifier(), child.primaryKey()) + " FROM " + b.from() + ", " + d.from() + " WHERE "
                + survivorOf(b, d, column, parentPk) + " AND NOT EXISTS (SELECT 1 FROM " + c.from() + " WHERE "
                + afterImage(child, c.qualifier(), column, b, d) + " AND " + c.column(quote(column)) + " = " + d.column(quote(KEEP_PREFIX + 1)) + ")";
        if (!childIsParent) {
            return select;
        }
        Ref deleted = ref(parentArchive, "e", 1);
        return select + " AND NOT EXISTS (SELECT 1 FROM " + deleted.from() + " WHERE "
                + joinOn(deleted.qualifier(), b.qualifier(), child.primaryKey(), child.primaryKey()) + ")";
    }

    /**
     * Child rows that would break the child's unique key {@code uniqueColumns} once repointed: of each
     * group of rows that would share a key, all but one (rows already pointing at the survivor are kept
     * first, then the lowest primary key). Rows whose primary key is in {@code excluded} (if not null)
     * are left out.
     */
    public String repointConflicts(ResolvedTable child, String column, List<String> uniqueColumns, String losers,
                                   String parentPk, ResolvedTable excluded) {
        List<String> partition = new ArrayList<>();
        for (String c : uniqueColumns) {
            partition.add(c.equals(column) ? "COALESCE(l." + quote(KEEP_PREFIX + 1) + ", c." + quote(c) + ")" : "c." + quote(c));
        }
        String moved = "CASE WHEN l." + quote(parentPk) + " IS NULL THEN 0 ELSE 1 END";
        String inner = "SELECT c.*, ROW_NUMBER() OVER (PARTITION BY " + String.join(", ", partition) + " ORDER BY " + moved + ", "
                + qualifiedColumns("c", child.primaryKey()) + ") AS " + quote(ROW_NUMBER)
                + " FROM " + table(child) + " c LEFT JOIN " + losers + " l ON l." + quote(parentPk) + " = c." + quote(column)
                + " WHERE " + notNull("c", uniqueColumns);
        if (excluded != null) {
            inner += " AND NOT EXISTS (SELECT 1 FROM " + table(excluded) + " x WHERE " + joinOn("x", "c", child.primaryKey(), child.primaryKey()) + ")";
        }
        return "SELECT " + qualifiedColumns("r", child.columnNames()) + " FROM (" + inner + ") r WHERE r." + quote(ROW_NUMBER) + " > 1";
    }

    /** Child rows whose non-null {@code column} matches no parent row. */
    public String countDangling(ResolvedTable child, String column, ResolvedTable parent, String parentPk) {
        return "SELECT COUNT(*) FROM " + table(child) + " c WHERE c." + quote(column) + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                + table(parent) + " p WHERE p." + quote(parentPk) + " = c." + quote(column) + ")";
    }

    /**
     * Rows of {@code table} whose {@code column} differs from its dense rank {@code start, start + 1, ...}
     * within {@code partition} in {@code order} (then primary key), with that rank as {@code newColumn}.
     * Base tables are named, not aliased, so MySQL's LOCK TABLES accepts the statement.
     */
    public String renumbered(ResolvedTable table, String column, List<String> partition, List<OrderItem> order, long start, String newColumn) {
        String source = table(table);
        String window = "ROW_NUMBER() OVER (" + (partition.isEmpty() ? "" : "PARTITION BY " + qualifiedColumns(source, partition) + " ")
                + "ORDER BY " + orderBy(source, order, table) + ")";
        String ranked = "SELECT " + source + ".*, " + start + " + " + window + " - 1 AS " + quote(newColumn) + " FROM " + source;
        return "(SELECT * FROM (" + ranked + ") w WHERE w." + quote(column) + " IS NULL OR w." + quote(column) + " <> w." + quote(newColumn) + ")";
    }

    /** Sets {@code column} of the rows in {@code archive} to the archive's {@code archiveColumn} plus {@code offset}. */
    public String setFromArchive(ResolvedTable target, String column, ResolvedTable archive, String archiveColumn, long offset) {
        String lookup = " FROM " + table(archive) + " WHERE " + matchTarget(target, table(archive), target.primaryKey());
        return "UPDATE " + table(target) + " SET " + quote(column) + " = (SELECT " + table(archive) + "." + quote(archiveColumn) + lookup
                + ") + " + offset + " WHERE EXISTS (SELECT 1" + lookup + ")";
    }

    /** Adds {@code delta} to {@code column} of the rows in {@code archive}. */
    public String shiftArchived(ResolvedTable target, String column, ResolvedTable archive, long delta) {
        return "UPDATE " + table(target) + " SET " + quote(column) + " = " + quote(column) + " + " + delta + " WHERE EXISTS (SELECT 1 FROM "
                + table(archive) + " WHERE " + matchTarget(target, table(archive), target.primaryKey()) + ")";
    }

    /**
     * The statements that add unique constraint {@code name}, in order. By default the one
     * {@link #addUnique}, which needs the table exclusively; a dialect may build the index first under a
     * weaker lock and attach it in a brief exclusive step.
     */
    public List<DdlStatement> addUniqueStatements(ResolvedTable table, String name, List<String> columns, boolean nullsEqual) {
        return List.of(new DdlStatement(addUnique(table, name, columns, nullsEqual), dropUnique(table, name), true));
    }

    public String addUnique(ResolvedTable table, String name, List<String> columns, boolean nullsEqual) {
        return "ALTER TABLE " + table(table) + " ADD CONSTRAINT " + quote(name) + " UNIQUE "
                + (nullsEqual ? "NULLS NOT DISTINCT " : "") + "(" + columnList(columns) + ")";
    }

    public String dropUnique(ResolvedTable table, String name) {
        return "ALTER TABLE " + table(table) + " DROP CONSTRAINT " + quote(name);
    }

    /** Shadow swap SQL ({@link Dialect#supportsShadowSwap}) exists only where a dialect writes it; elsewhere it fails loudly. */
    private UnsupportedOperationException noShadowSwap() {
        return new UnsupportedOperationException("the " + dialect.name() + " dialect has no shadow-swap SQL");
    }

    /** An empty table {@code copy} with the columns, keys and indexes of {@code source}. */
    public String createLike(ResolvedTable source, ResolvedTable copy) {
        throw noShadowSwap();
    }

    /** Copies into {@code copy} the rows of {@code source} that {@link #losers} leaves out: every row it would keep. */
    public String insertSurvivors(ResolvedTable source, ResolvedTable copy, List<String> key, List<OrderItem> order, boolean nullsEqual) {
        throw noShadowSwap();
    }

    /** In one atomic statement, tagged with {@code marker}: {@code table} becomes {@code old} and {@code shadow} becomes {@code table}. */
    public String swapTables(ResolvedTable table, ResolvedTable shadow, ResolvedTable old, String marker) {
        throw noShadowSwap();
    }

    /** How many other sessions are running a statement tagged with {@code marker}; {@code waiting}: only those waiting for a table lock. */
    public String countSessionsRunning(String marker, boolean waiting) {
        throw noShadowSwap();
    }

    /** The table's next auto-increment value, 0 if it has none: a copy continues from it, so no archived row's id is handed out again. */
    public String nextAutoIncrement(ResolvedTable table) {
        throw noShadowSwap();
    }

    public String setNextAutoIncrement(ResolvedTable table, long next) {
        throw noShadowSwap();
    }

    /** Names of what would stay with {@code table} rather than follow its rows into a copy (foreign keys out of it, triggers). */
    public String shadowSwapObstacles(ResolvedTable table) {
        throw noShadowSwap();
    }

    /** Puts every row of the {@code losers} relation back into {@code target}, every column as it was. */
    public String restoreRows(ResolvedTable target, String losers) {
        return insertRestored(target) + qualifiedColumns("l", target.writableColumnNames()) + " FROM " + losers + " l";
    }

    /** Primary keys of {@code target} rows that a row of the {@code losers} relation would collide with if put back. */
    public String rowsBlockingRestore(ResolvedTable target, String losers) {
        return "SELECT " + qualifiedColumns("t", target.primaryKey()) + " FROM " + table(target) + " t WHERE EXISTS (SELECT 1 FROM "
                + losers + " l WHERE " + joinOn("l", "t", target.primaryKey(), target.primaryKey()) + ")";
    }
}
