package dev.safemigrate.core.sql;

import dev.safemigrate.core.spi.ResolvedTable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Online mode's bookkeeping tables, in standard SQL. Once the key guard is in place no new duplicate can be
 * committed, so the duplicate key groups found then are all there will be: the groups table numbers them
 * ({@code sm_seq}) with the running count of their losers ({@code sm_upto}), and a chunk is a range of numbers.
 */
public class OnlineSql extends SqlPart {
    public static final String SEQ = "sm_seq";
    public static final String UPTO = "sm_upto";
    /** In a numbering parents first: 1 for a row in or below a reference cycle (numbered after every other row), else 0. */
    private static final String CYCLE = "sm_cycle";
    private static final String ROWS = "sm_n";
    /** Where a journaled statement of one slice has its bounds, filled in by {@link #slice}. */
    private static final String AFTER = "{after}";
    private static final String LAST = "{last}";

    public OnlineSql(SqlSyntax syntax) {
        super(syntax);
    }

    /** Creates {@code groups}: each key of {@code table} held by more than one row, numbered, with its losers' running count. */
    public List<String> createGroups(String groups, ResolvedTable table, List<String> key, boolean nullsEqual) {
        String keys = qualifiedColumns("d", key);
        String duplicates = "SELECT " + columnList(key) + ", COUNT(*) AS " + quote(ROWS) + " FROM " + table(table)
                + (nullsEqual ? "" : " WHERE " + syntax.notNull(table(table), key)) + " GROUP BY " + columnList(key) + " HAVING COUNT(*) > 1";
        return List.of("CREATE TABLE " + quote(groups) + " AS SELECT " + keys + ", ROW_NUMBER() OVER (ORDER BY " + keys + ") AS " + quote(SEQ)
                        + ", SUM(d." + quote(ROWS) + " - 1) OVER (ORDER BY " + keys + " ROWS UNBOUNDED PRECEDING) AS " + quote(UPTO)
                        + " FROM (" + duplicates + ") d",
                "CREATE INDEX " + quote(groups + "_ix") + " ON " + quote(groups) + " (" + quote(SEQ) + ")");
    }

    /** The number of groups and of losers in {@code groups}, as {@code SELECT MAX(seq)} and {@code SELECT MAX(upto)}. */
    public String groupCount(ResolvedTable groups) {
        return "SELECT COALESCE(MAX(" + quote(SEQ) + "), 0) FROM " + table(groups);
    }

    public String loserCount(ResolvedTable groups) {
        return "SELECT COALESCE(MAX(" + quote(UPTO) + "), 0) FROM " + table(groups);
    }

    /** The losers in groups 1 to {@code seq}, as counted when the groups were found (groups are numbered densely from 1). */
    public String losersUpTo(ResolvedTable groups, long seq) {
        return "SELECT COALESCE(MAX(" + quote(UPTO) + "), 0) FROM " + table(groups) + " WHERE " + quote(SEQ) + " = " + seq;
    }

    /**
     * The last group after {@code after} whose losers, counted from there, stay within {@code losers}; 0 where even
     * the next one does not. Every group has a loser, so it is at most {@code losers} groups on: the index reads no more.
     */
    public String lastGroupWithin(ResolvedTable groups, long after, long losers) {
        return "SELECT COALESCE(MAX(" + quote(SEQ) + "), 0) FROM " + table(groups) + " WHERE " + quote(SEQ) + " > " + after + " AND " + quote(SEQ)
                + " <= " + (after + losers) + " AND " + quote(UPTO) + " <= (" + losersUpTo(groups, after) + ") + " + losers;
    }

    /** The keys of groups {@code after + 1} to {@code last}, as a parenthesized query. */
    public String keysOf(ResolvedTable groups, List<String> key, long after, long last) {
        return "(SELECT " + columnList(key) + " FROM " + table(groups) + " WHERE " + quote(SEQ) + " > " + after + " AND " + quote(SEQ) + " <= "
                + last + ")";
    }

    /** The FROM clause of {@code table}'s rows whose key is one of {@code keys} (see {@link #keysOf}), read under {@code qualifier}. */
    public String rowsWithKeys(ResolvedTable table, String qualifier, List<String> key, String keys, boolean nullsEqual) {
        StringBuilder on = new StringBuilder();
        for (String column : key) {
            String mine = qualifier + "." + quote(column);
            String theirs = "k." + quote(column);
            on.append(on.length() == 0 ? "" : " AND ")
                    .append(nullsEqual ? "(" + mine + " = " + theirs + " OR " + mine + " IS NULL AND " + theirs + " IS NULL)" : mine + " = " + theirs);
        }
        return table(table) + (qualifier.equals(table(table)) ? "" : " " + qualifier) + " JOIN " + keys + " k ON " + on;
    }

    /** A column of a child table that points at the deduped table's primary key (a {@code repoint} entry). */
    public record Pointer(ResolvedTable child, String column) {
    }

    /**
     * Creates {@code numbered}: the key {@code pk} of every row of {@code archive} that a row of a child table points at now
     * (through one of {@code pointers}), numbered 1 to n ({@link #SEQ}), so those rows can be gone through in ranges of
     * numbers. Only they can have children to move: where a foreign key stops children from pointing at a deleted row,
     * none.
     */
    public List<String> createNumbered(String numbered, ResolvedTable archive, String pk, List<Pointer> pointers) {
        String archived = "a." + quote(pk);
        List<String> pointedAt = pointers.stream().map(p -> "EXISTS (SELECT 1 FROM " + table(p.child()) + " c WHERE c." + quote(p.column())
                + " = " + archived + ")").toList();
        return numbering(numbered, archive, pk, pointedAt.isEmpty() ? "1 = 0" : String.join(" OR ", pointedAt));
    }

    /** Creates {@code numbered}: the key {@code pk} of every row of {@code archive}, numbered 1 to n ({@link #SEQ}). */
    public List<String> createNumbered(String numbered, ResolvedTable archive, String pk) {
        return numbering(numbered, archive, pk, "1 = 1");
    }

    /**
     * Creates {@code numbered} for putting back the archived losers of a table whose rows point at each other
     * ({@code pointers}: its columns that hold another row's {@code pk}), numbered so that a row comes after every archived
     * row it points at (a longest-path generation; rows in a cycle last) and, among rows of a generation, in descending
     * {@code key} order: chunks ran in ascending key order, so a loser that a chunk repointed before a later chunk
     * deleted it comes back before the loser it pointed at, whose slice points it back there. Rows in or below a cycle
     * are marked ({@link #settledCount} counts the others).
     */
    public List<String> createNumberedParentsFirst(String numbered, ResolvedTable archive, String pk, List<String> key, List<String> pointers) {
        String id = quote(pk);
        String generation = quote("sm_gen");
        List<String> noArchivedTarget = pointers.stream().map(p -> "NOT EXISTS (SELECT 1 FROM " + table(archive) + " p WHERE p." + id + " = a."
                + quote(p) + ")").toList();
        List<String> pointsAt = pointers.stream().map(p -> "a." + quote(p) + " = g." + id).toList();
        String generations = "WITH RECURSIVE g (" + id + ", " + generation + ") AS (SELECT a." + id + ", 0 FROM " + table(archive) + " a WHERE "
                + String.join(" AND ", noArchivedTarget) + " UNION ALL SELECT a." + id + ", g." + generation + " + 1 FROM " + table(archive)
                + " a JOIN g ON " + String.join(" OR ", pointsAt) + ")";
        String inCycle = "CASE WHEN MAX(g." + generation + ") IS NULL THEN 1 ELSE 0 END";
        String order = inCycle + ", MAX(g." + generation + "), " + key.stream().map(k -> "a." + quote(k) + " DESC").collect(Collectors.joining(", "))
                + ", a." + id;
        return List.of("CREATE TABLE " + quote(numbered) + " AS " + generations + " SELECT a." + id + ", ROW_NUMBER() OVER (ORDER BY " + order
                        + ") AS " + quote(SEQ) + ", " + inCycle + " AS " + quote(CYCLE) + " FROM " + table(archive) + " a LEFT JOIN g ON g." + id
                        + " = a." + id + " GROUP BY a." + id
                        + key.stream().map(k -> ", a." + quote(k)).collect(Collectors.joining()),
                "CREATE INDEX " + quote(numbered + "_ix") + " ON " + quote(numbered) + " (" + quote(SEQ) + ")");
    }

    /** The rows of a numbering parents first ({@link #createNumberedParentsFirst}) that are not in or below a reference cycle. */
    public String settledCount(ResolvedTable numbered) {
        return "SELECT COUNT(*) FROM " + table(numbered) + " WHERE " + quote(CYCLE) + " = 0";
    }

    private List<String> numbering(String numbered, ResolvedTable archive, String pk, String where) {
        String archived = "a." + quote(pk);
        return List.of("CREATE TABLE " + quote(numbered) + " AS SELECT " + archived + ", ROW_NUMBER() OVER (ORDER BY " + archived + ") AS "
                        + quote(SEQ) + " FROM " + table(archive) + " a WHERE " + where,
                "CREATE INDEX " + quote(numbered + "_ix") + " ON " + quote(numbered) + " (" + quote(SEQ) + ")");
    }

    /** The rows of {@code archive} numbered {@code after + 1} to {@code last} in {@code numbered}, with their number, as a parenthesized query. */
    public String numberedRows(ResolvedTable archive, ResolvedTable numbered, String pk, long after, long last) {
        return slice(numberedRows(archive, numbered, pk), after, last);
    }

    /** {@link #numberedRows} of any slice: a statement made of it runs once {@link #slice} filled in the bounds. */
    public String numberedRows(ResolvedTable archive, ResolvedTable numbered, String pk) {
        return "(SELECT a.*, n." + quote(SEQ) + " FROM " + table(archive) + " a JOIN " + table(numbered) + " n ON a." + quote(pk) + " = n."
                + quote(pk) + " WHERE n." + quote(SEQ) + " > " + AFTER + " AND n." + quote(SEQ) + " <= " + LAST + ")";
    }

    /** The keys {@code pk} numbered in any slice of {@code numbered}, as a parenthesized query (see {@link #slice}). */
    public String numberedKeys(ResolvedTable numbered, String pk) {
        return "(SELECT " + quote(pk) + " FROM " + table(numbered) + " WHERE " + quote(SEQ) + " > " + AFTER + " AND " + quote(SEQ) + " <= "
                + LAST + ")";
    }

    /** {@code statement}, made of {@link #numberedRows}/{@link #numberedKeys} of any slice, for the slice {@code after + 1} to {@code last}. */
    public static String slice(String statement, long after, long last) {
        return statement.replace(AFTER, Long.toString(after)).replace(LAST, Long.toString(last));
    }

    /** An index on {@code column} of {@code table} (an archive), unless one of that name exists (the statement may run twice). */
    public String createIndexIfMissing(ResolvedTable table, String column) {
        return "CREATE INDEX IF NOT EXISTS " + quote(table.name() + "_by") + " ON " + table(table) + " (" + quote(column) + ")";
    }

    /** Drops the work table {@code name}, if it exists. */
    public String dropIfExists(String name) {
        return "DROP TABLE IF EXISTS " + quote(name);
    }

    /** An empty table with the columns of {@code source} (an archive), for one chunk's losers. */
    public String createLike(String name, ResolvedTable source) {
        return "CREATE TABLE " + quote(name) + " AS SELECT * FROM " + table(source) + " WHERE 1 = 0";
    }
}
