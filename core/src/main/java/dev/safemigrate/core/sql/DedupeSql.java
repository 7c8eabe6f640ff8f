package dev.safemigrate.core.sql;

import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.spi.ResolvedTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finding duplicates and their survivors, and moving child rows from a deleted duplicate to its survivor.
 *
 * <p>A "losers" relation is a table reference or parenthesized query with the loser rows' columns plus
 * {@code sm_keep_<i>}: the primary key of each loser's survivor. It is either the archive table (while
 * migrating) or {@link #losers} inline (while planning).
 */
public class DedupeSql extends SqlPart {
    public static final String KEEP_PREFIX = "sm_keep_";
    private static final String ROW_NUMBER = "sm_rn";

    public DedupeSql(SqlSyntax syntax) {
        super(syntax);
    }

    /** The archive columns that hold the survivor's primary key: {@code sm_keep_1}, ... */
    public static List<String> keepColumns(ResolvedTable table) {
        List<String> keep = new ArrayList<>();
        for (int i = 1; i <= table.primaryKey().size(); i++) {
            keep.add(KEEP_PREFIX + i);
        }
        return keep;
    }

    /**
     * Every row but the first of each key group, with its survivor's primary key as {@code sm_keep_<i>}.
     * A loser is a row whose key is not its survivor's: one window function per primary-key column and no
     * {@code ROW_NUMBER()} beside them, because H2 sorts once per window function (1,000,000 rows: 9.0 s
     * instead of 15.5 s).
     */
    public String losers(ResolvedTable table, List<String> key, List<OrderItem> order, boolean nullsEqual) {
        return losers(table, key, order, nullsEqual, null);
    }

    /**
     * {@link #losers} of the groups whose key is a row of {@code keys} (a relation with the key columns under
     * their names), or of every group where {@code keys} is null: online mode's chunks.
     */
    public String losers(ResolvedTable table, List<String> key, List<OrderItem> order, boolean nullsEqual, SqlSyntax.Relation keys) {
        SqlSyntax.Ref s = ref(table, "s", 0);
        StringBuilder from = new StringBuilder(s.from());
        if (keys != null) {
            SqlSyntax.Ref k = syntax.ref(keys, "k", 1);
            List<String> match = new ArrayList<>();
            for (String column : key) {
                String equal = s.column(quote(column)) + " = " + k.column(quote(column));
                match.add(nullsEqual ? "(" + equal + " OR " + s.column(quote(column)) + " IS NULL AND " + k.column(quote(column)) + " IS NULL)" : equal);
            }
            from.append(" JOIN ").append(k.from()).append(" ON ").append(String.join(" AND ", match));
        }
        return losers(table, key, order, nullsEqual, s.qualifier(), from.toString());
    }

    /** {@link #losers} of the key groups whose rows are {@code rows}: a parenthesized query of some of the table's rows, all their columns. */
    public String losersOf(ResolvedTable table, List<String> key, List<OrderItem> order, boolean nullsEqual, String rows) {
        return losers(table, key, order, nullsEqual, "s", rows + " s");
    }

    /** The losers of the rows read {@code from} under {@code qualifier}. */
    private String losers(ResolvedTable table, List<String> key, List<OrderItem> order, boolean nullsEqual, String qualifier, String from) {
        String window = "OVER (PARTITION BY " + qualifiedColumns(qualifier, key) + " ORDER BY " + syntax.orderBy(qualifier, order, table) + ")";
        StringBuilder select = new StringBuilder("SELECT " + qualifier + ".*");
        List<String> survivor = new ArrayList<>();
        List<String> pk = table.primaryKey();
        for (int i = 0; i < pk.size(); i++) {
            String keep = quote(KEEP_PREFIX + (i + 1));
            select.append(", FIRST_VALUE(").append(qualifier).append(".").append(quote(pk.get(i))).append(") ").append(window).append(" AS ").append(keep);
            survivor.add("w." + quote(pk.get(i)) + " = w." + keep);
        }
        select.append(" FROM ").append(from);
        if (!nullsEqual) {
            select.append(" WHERE ").append(syntax.notNull(qualifier, key));
        }
        return "(SELECT * FROM (" + select + ") w WHERE NOT (" + String.join(" AND ", survivor) + "))";
    }

    /** Key groups holding more than one row, most rows first, as {@code key..., count}. */
    public String duplicateKeys(ResolvedTable table, List<String> key, boolean nullsEqual) {
        SqlSyntax.Ref s = ref(table, "s", 0);
        return "SELECT " + qualifiedColumns(s.qualifier(), key) + ", COUNT(*) FROM " + s.from()
                + (nullsEqual ? "" : " WHERE " + syntax.notNull(s.qualifier(), key))
                + " GROUP BY " + qualifiedColumns(s.qualifier(), key) + " HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC";
    }

    public String countDuplicateGroups(ResolvedTable table, List<String> key, boolean nullsEqual) {
        return "SELECT COUNT(*) FROM (" + duplicateKeys(table, key, nullsEqual).replace(" ORDER BY COUNT(*) DESC", "") + ") g";
    }

    /**
     * Child rows whose {@code column} points at a loser in {@code losers}. An uncorrelated IN lets every
     * database evaluate {@code losers} once (H2 re-runs a correlated derived table per row).
     */
    public String referencingRows(ResolvedTable child, String column, SqlSyntax.Relation losers, String parentPk) {
        SqlSyntax.Ref c = ref(child, "c", 0);
        SqlSyntax.Ref l = syntax.ref(losers, "l", 0);
        return "SELECT " + qualifiedColumns(c.qualifier(), child.columnNames()) + " FROM " + c.from() + " WHERE " + c.column(quote(column))
                + " IN (SELECT " + l.column(quote(parentPk)) + " FROM " + l.from() + ")";
    }

    /** Points children at the survivor of the loser they point at. */
    public String repoint(ResolvedTable child, String column, ResolvedTable parentArchive, String parentPk) {
        SqlSyntax.Ref l = ref(parentArchive, "l", 0);
        String lookup = " FROM " + l.from() + " WHERE " + l.column(quote(parentPk)) + " = " + table(child) + "." + quote(column);
        return "UPDATE " + table(child) + " SET " + quote(column) + " = (SELECT " + l.column(quote(KEEP_PREFIX + 1)) + lookup
                + ") WHERE EXISTS (SELECT 1" + lookup + ")";
    }

    /**
     * {@link #repoint} and the archiving of the rows' before-images ({@link #referencingRows} into {@code beforeImages})
     * in one statement whose count is the rows moved, each archived once; empty where the database has no such statement.
     * Only for a child whose other columns the update leaves as they were (no generated column, no trigger on update):
     * the before-image is the row as updated, with the loser's key in {@code column}.
     */
    public Optional<String> repointArchiving(ResolvedTable child, String column, ResolvedTable parentArchive, String parentPk,
                                             ResolvedTable beforeImages) {
        return Optional.empty();
    }

    /**
     * Child rows that would break the child's unique key {@code uniqueColumns} once repointed: of each
     * group of rows that would share a key, all but one (rows already pointing at the survivor are kept
     * first, then the lowest primary key). Rows whose primary key is in {@code excluded} (if not null: rows
     * of the child, or an archive of them) are left out.
     */
    public String repointConflicts(ResolvedTable child, String column, List<String> uniqueColumns, SqlSyntax.Relation losers,
                                   String parentPk, SqlSyntax.Relation excluded) {
        SqlSyntax.Ref c = ref(child, "c", 0);
        SqlSyntax.Ref l = syntax.ref(losers, "l", 0);
        List<String> partition = new ArrayList<>();
        for (String u : uniqueColumns) {
            partition.add(u.equals(column) ? "COALESCE(" + l.column(quote(KEEP_PREFIX + 1)) + ", " + c.column(quote(u)) + ")" : c.column(quote(u)));
        }
        String moved = "CASE WHEN " + l.column(quote(parentPk)) + " IS NULL THEN 0 ELSE 1 END";
        String inner = "SELECT " + c.qualifier() + ".*, ROW_NUMBER() OVER (PARTITION BY " + String.join(", ", partition) + " ORDER BY " + moved
                + ", " + qualifiedColumns(c.qualifier(), child.primaryKey()) + ") AS " + quote(ROW_NUMBER)
                + " FROM " + c.from() + " LEFT JOIN " + l.from() + " ON " + l.column(quote(parentPk)) + " = " + c.column(quote(column))
                + " WHERE " + syntax.notNull(c.qualifier(), uniqueColumns);
        if (excluded != null) {
            SqlSyntax.Ref x = syntax.ref(excluded, "x", 1);
            inner += " AND NOT EXISTS (SELECT 1 FROM " + x.from() + " WHERE " + joinOn(x.qualifier(), c.qualifier(), child.primaryKey(),
                    child.primaryKey()) + ")";
        }
        return "SELECT " + qualifiedColumns("r", child.columnNames()) + " FROM (" + inner + ") r WHERE r." + quote(ROW_NUMBER) + " > 1";
    }

    /** Child rows whose non-null {@code column} matches no parent row (the parent may be the child table itself). */
    public String countDangling(ResolvedTable child, String column, ResolvedTable parent, String parentPk) {
        SqlSyntax.Ref c = ref(child, "c", 0);
        SqlSyntax.Ref p = ref(parent, "p", 1);
        return "SELECT COUNT(*) FROM " + c.from() + " WHERE " + c.column(quote(column)) + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                + p.from() + " WHERE " + p.column(quote(parentPk)) + " = " + c.column(quote(column)) + ")";
    }

    /**
     * For a child whose primary key holds the repointed {@code column} (a join table), where the repoint
     * changed the row's key: sets {@code column} back to its before-image, finding the row by the key it has
     * since, the survivor (read from {@code parentArchive}) in place of the loser.
     */
    public String restoreRepointedKey(ResolvedTable child, String column, ResolvedTable childArchive, ResolvedTable parentArchive,
                                      String parentPk) {
        SqlSyntax.Ref b = ref(childArchive, "b", 0);
        SqlSyntax.Ref d = ref(parentArchive, "d", 0);
        String lookup = " FROM " + b.from() + ", " + d.from() + " WHERE " + survivorOf(b, d, column, parentPk) + " AND "
                + afterImage(child, table(child), column, b, d);
        return "UPDATE " + table(child) + " SET " + quote(column) + " = (SELECT " + b.column(quote(column)) + lookup
                + ") WHERE EXISTS (SELECT 1" + lookup + ")";
    }

    /**
     * The reversal of an online run, for the losers whose keys are {@code losers} (a parenthesized query): sets
     * {@code column} back to its before-image only where the row is still as the run left it, pointing at the survivor.
     * A row a writer changed since keeps the writer's value; one a writer deleted stays deleted.
     */
    public String restoreRepointedUnchanged(ResolvedTable child, String column, ResolvedTable childArchive, ResolvedTable parentArchive,
                                            String parentPk, String losers) {
        SqlSyntax.Ref b = ref(childArchive, "b", 0);
        SqlSyntax.Ref d = ref(parentArchive, "d", 0);
        String lookup = " FROM " + b.from() + ", " + d.from() + " WHERE " + unchanged(child, table(child), column, b, d, parentPk, losers);
        return "UPDATE " + table(child) + " SET " + quote(column) + " = (SELECT " + b.column(quote(column)) + lookup
                + ") WHERE EXISTS (SELECT 1" + lookup + ")";
    }

    /** The before-image {@code b} of a row {@code c} that pointed at a loser {@code d} whose key is in {@code losers}, and {@code c} as the run left it. */
    protected String unchanged(ResolvedTable child, String c, String column, SqlSyntax.Ref b, SqlSyntax.Ref d, String parentPk, String losers) {
        return survivorOf(b, d, column, parentPk) + " AND " + d.column(quote(parentPk)) + " IN " + losers + " AND "
                + afterImage(child, c, column, b, d) + " AND " + c + "." + quote(column) + " = " + d.column(quote(KEEP_PREFIX + 1));
    }

    /**
     * How many before-images {@code childArchive} holds of rows that pointed at the losers whose keys are {@code losers};
     * where the child is the deduped table, not those of losers archived with that same value (they go back whole as they
     * were; a loser that an earlier chunk repointed and a later one deleted was archived pointing at the survivor).
     */
    public String countRepointed(ResolvedTable child, String column, ResolvedTable childArchive, ResolvedTable parentArchive, String losers,
                                 boolean childIsParent) {
        SqlSyntax.Ref b = ref(childArchive, "b", 0);
        String count = "SELECT COUNT(*) FROM " + b.from() + " WHERE " + b.column(quote(column)) + " IN " + losers;
        if (!childIsParent) {
            return count;
        }
        SqlSyntax.Ref e = ref(parentArchive, "e", 1);
        return count + " AND NOT EXISTS (SELECT 1 FROM " + e.from() + " WHERE " + joinOn(e.qualifier(), b.qualifier(), child.primaryKey(),
                child.primaryKey()) + " AND " + e.column(quote(column)) + " = " + b.column(quote(column)) + ")";
    }

    /** Joins the survivor {@code d} (a parent archive row) to the before-image {@code b} of a row that pointed at its loser. */
    protected String survivorOf(SqlSyntax.Ref b, SqlSyntax.Ref d, String column, String parentPk) {
        return d.column(quote(parentPk)) + " = " + b.column(quote(column));
    }

    /**
     * The row {@code c} as the repoint left the before-image {@code b}: the same primary key, with the
     * survivor {@code d}'s key in place of the loser where the key holds {@code column}.
     */
    protected String afterImage(ResolvedTable child, String c, String column, SqlSyntax.Ref b, SqlSyntax.Ref d) {
        List<String> terms = new ArrayList<>();
        for (String k : child.primaryKey()) {
            terms.add((k.equals(column) ? d.column(quote(KEEP_PREFIX + 1)) : b.column(quote(k))) + " = " + c + "." + quote(k));
        }
        return String.join(" AND ", terms);
    }

    /**
     * Before-images of repointed rows whose row is no longer as the migration left it (pointing at the
     * survivor): changed or deleted since. An undo would overwrite or miss them, so they refuse it. Where the
     * child is the deduped table itself, rows the migration deleted (losers pointing at losers) are not
     * counted: the undo puts them back whole.
     */
    public String repointedRowsChangedSince(ResolvedTable child, String column, ResolvedTable childArchive, ResolvedTable parentArchive,
                                            String parentPk, boolean childIsParent) {
        SqlSyntax.Ref b = ref(childArchive, "b", 0);
        SqlSyntax.Ref d = ref(parentArchive, "d", 0);
        SqlSyntax.Ref c = ref(child, "c", 0);
        String select = "SELECT " + qualifiedColumns(b.qualifier(), child.primaryKey()) + " FROM " + b.from() + ", " + d.from() + " WHERE "
                + survivorOf(b, d, column, parentPk) + " AND NOT EXISTS (SELECT 1 FROM " + c.from() + " WHERE "
                + afterImage(child, c.qualifier(), column, b, d) + " AND " + c.column(quote(column)) + " = " + d.column(quote(KEEP_PREFIX + 1)) + ")";
        if (!childIsParent) {
            return select;
        }
        SqlSyntax.Ref deleted = ref(parentArchive, "e", 1);
        return select + " AND NOT EXISTS (SELECT 1 FROM " + deleted.from() + " WHERE "
                + joinOn(deleted.qualifier(), b.qualifier(), child.primaryKey(), child.primaryKey()) + ")";
    }
}
