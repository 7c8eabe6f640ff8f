package dev.safemigrate.core.sql;

import dev.safemigrate.core.spi.ArchiveSpec;
import dev.safemigrate.core.spi.ForeignKey;
import dev.safemigrate.core.spi.ResolvedTable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Archives and what puts their rows back: the exact, type-preserving copy of every row a run deletes or
 * changes, and the statements that restore it. Generated columns are left out of restored rows (the database
 * computes them again); identity columns get their own values back ({@link SqlSyntax#overridingSystemValue}).
 */
public class ArchiveSql extends SqlPart {
    public ArchiveSql(SqlSyntax syntax) {
        super(syntax);
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

    /**
     * Statements run once an archive the run joins against has been filled, such as refreshing the
     * planner's statistics; none by default. Must not commit (they run inside the data transaction).
     */
    public List<String> archiveFilled(ResolvedTable archive) {
        return List.of();
    }

    /** Copies every row of the relation {@code rows} into {@code archive}, by the archive's column names. */
    public String archiveRows(ResolvedTable archive, String rows) {
        return "INSERT INTO " + table(archive) + " (" + columnList(archive.columnNames()) + ") SELECT "
                + qualifiedColumns("l", archive.columnNames()) + " FROM " + rows + " l";
    }

    /** Inserts the rows of {@code select} (in the archive's column order) into {@code archive}. */
    public String archiveSelect(ResolvedTable archive, String select) {
        return "INSERT INTO " + table(archive) + " (" + columnList(archive.columnNames()) + ") " + select;
    }

    /** Deletes the rows of {@code target} whose primary key is in {@code archive}. */
    public String deleteArchived(ResolvedTable target, ResolvedTable archive) {
        SqlSyntax.Ref a = ref(archive, "a", 0);
        return "DELETE FROM " + table(target) + " WHERE EXISTS (SELECT 1 FROM " + a.from() + " WHERE "
                + joinOn(a.qualifier(), table(target), target.primaryKey(), target.primaryKey()) + ")";
    }

    /** Puts the archived rows back into {@code target}, every column as it was (generated ones are computed again). */
    public String restoreRows(ResolvedTable target, ResolvedTable archive) {
        SqlSyntax.Ref a = ref(archive, "a", 0);
        return insertRestored(target) + qualifiedColumns(a.qualifier(), target.writableColumnNames()) + " FROM " + a.from();
    }

    /** Puts every row of the relation {@code rows} (a query over an archive) back into {@code target}. */
    public String restoreRows(ResolvedTable target, String rows) {
        return insertRestored(target) + qualifiedColumns("l", target.writableColumnNames()) + " FROM " + rows + " l";
    }

    /**
     * As {@link #restoreRows(ResolvedTable, String)}, in the order of {@code rows}' column {@code order}: where the database
     * checks a foreign key row by row, a row then comes back after the rows it points at, if they come first in that order.
     */
    public String restoreRowsInOrder(ResolvedTable target, String rows, String order) {
        return restoreRows(target, rows) + " ORDER BY l." + quote(order);
    }

    private String insertRestored(ResolvedTable target) {
        return "INSERT INTO " + table(target) + " (" + columnList(target.writableColumnNames()) + ")" + syntax.overridingSystemValue()
                + " SELECT ";
    }

    /**
     * For a table whose foreign keys {@code selfKeys} point back into it, on a database that checks a
     * foreign key row by row: one generation of archived rows, those not back yet whose archived parents are
     * all back. Repeated until it inserts nothing, it puts parents back before their children.
     */
    public String restoreRowsParentsFirst(ResolvedTable target, ResolvedTable archive, List<ForeignKey> selfKeys) {
        SqlSyntax.Ref a = ref(archive, "a", 0);
        SqlSyntax.Ref p = ref(archive, "p", 1);
        SqlSyntax.Ref y = ref(target, "y", 2);
        StringBuilder sql = new StringBuilder(restoreRemainder(target, archive));
        for (ForeignKey key : selfKeys) {
            sql.append(" AND NOT EXISTS (SELECT 1 FROM ").append(p.from()).append(" WHERE ")
                    .append(joinOn(p.qualifier(), a.qualifier(), key.parentColumns(), key.childColumns()))
                    .append(" AND NOT EXISTS (SELECT 1 FROM ").append(y.from()).append(" WHERE ")
                    .append(joinOn(y.qualifier(), p.qualifier(), target.primaryKey(), target.primaryKey())).append("))");
        }
        return sql.toString();
    }

    /** The archived rows not back in {@code target} yet, put back. */
    private String restoreRemainder(ResolvedTable target, ResolvedTable archive) {
        return restoreRows(target, archive) + notBackYet(target, archive);
    }

    /**
     * {@link #restoreRemainder}, each row's foreign keys {@code selfKeys} (into {@code target} itself) pointing at the row
     * itself for now, where they are not null: rows in a reference cycle, which no order of inserts puts back on a database
     * that checks a foreign key row by row, go back this way, then {@link #pointBackToArchived} sets each key as archived.
     */
    public String restoreRemainderPointingAtThemselves(ResolvedTable target, ResolvedTable archive, List<ForeignKey> selfKeys) {
        return insertPointingAtThemselves(target, ref(archive, "a", 0), selfKeys) + notBackYet(target, archive);
    }

    /** {@link #restoreRemainderPointingAtThemselves} of every row of the relation {@code rows} (a query over an archive). */
    public String restoreRowsPointingAtThemselves(ResolvedTable target, String rows, List<ForeignKey> selfKeys) {
        return insertPointingAtThemselves(target, new SqlSyntax.Ref(rows + " l", "l"), selfKeys);
    }

    private String notBackYet(ResolvedTable target, ResolvedTable archive) {
        SqlSyntax.Ref a = ref(archive, "a", 0);
        SqlSyntax.Ref x = ref(target, "x", 1);
        return " WHERE NOT EXISTS (SELECT 1 FROM " + x.from() + " WHERE " + joinOn(x.qualifier(), a.qualifier(), target.primaryKey(),
                target.primaryKey()) + ")";
    }

    private String insertPointingAtThemselves(ResolvedTable target, SqlSyntax.Ref rows, List<ForeignKey> selfKeys) {
        List<String> values = new ArrayList<>();
        for (String column : target.writableColumnNames()) {
            String value = rows.column(quote(column));
            for (ForeignKey key : selfKeys) {
                int i = key.childColumns().indexOf(column);
                if (i >= 0) {
                    value = "CASE WHEN " + syntax.notNull(rows.qualifier(), key.childColumns()) + " THEN "
                            + rows.column(quote(key.parentColumns().get(i))) + " ELSE " + value + " END";
                    break;
                }
            }
            values.add(value);
        }
        return insertRestored(target) + String.join(", ", values) + " FROM " + rows.from();
    }

    /**
     * Sets the foreign key {@code selfKey} of the rows of {@code target} that {@link #restoreRemainderPointingAtThemselves}
     * put back pointing at themselves to its value in {@code archive}, once every row is back: rows archived with another
     * (non-null) value that point at themselves now. Row by row, each points at a row that is back.
     */
    public String pointBackToArchived(ResolvedTable target, ResolvedTable archive, ForeignKey selfKey) {
        return setFromArchive(target, archive, selfKey.childColumns(), (t, b) -> pointingBack(t, b, selfKey));
    }

    /** {@link #pointBackToArchived}, only for rows whose primary key is one of {@code keys} (a parenthesized query). */
    public String pointBackToArchived(ResolvedTable target, ResolvedTable archive, ForeignKey selfKey, String keys) {
        return setFromArchive(target, archive, selfKey.childColumns(), (t, b) -> {
            List<String> terms = new ArrayList<>(List.of(t + "." + quote(target.primaryKey().get(0)) + " IN " + keys));
            terms.addAll(pointingBack(t, b, selfKey));
            return terms;
        });
    }

    private List<String> pointingBack(String t, String b, ForeignKey selfKey) {
        return List.of(joinOn(t, t, selfKey.childColumns(), selfKey.parentColumns()), syntax.notNull(b, selfKey.childColumns()),
                "NOT (" + joinOn(b, b, selfKey.childColumns(), selfKey.parentColumns()) + ")");
    }

    /** Primary keys of {@code target} rows that an archived row of {@code archive} would collide with if put back. */
    public String rowsBlockingRestore(ResolvedTable target, ResolvedTable archive) {
        return rowsBlockingRestore(target, ref(archive, "a", 0));
    }

    /** Primary keys of {@code target} rows that a row of the relation {@code rows} would collide with if put back. */
    public String rowsBlockingRestore(ResolvedTable target, String rows) {
        return rowsBlockingRestore(target, new SqlSyntax.Ref(rows + " l", "l"));
    }

    private String rowsBlockingRestore(ResolvedTable target, SqlSyntax.Ref restored) {
        SqlSyntax.Ref t = ref(target, "t", 0);
        return "SELECT " + qualifiedColumns(t.qualifier(), target.primaryKey()) + " FROM " + t.from() + " WHERE EXISTS (SELECT 1 FROM "
                + restored.from() + " WHERE " + joinOn(restored.qualifier(), t.qualifier(), target.primaryKey(), target.primaryKey()) + ")";
    }

    /** Sets {@code column} back to its archived before-image, matching rows by primary key. */
    public String restoreColumn(ResolvedTable target, String column, ResolvedTable archive) {
        return setFromArchive(target, archive, List.of(column), (t, b) -> List.of());
    }

    /** Conditions on a row of a table and its archived row, given the qualifiers the statement reads them under. */
    protected interface RowCondition {
        List<String> terms(String target, String archived);
    }

    /**
     * Sets {@code columns} of the rows of {@code target} to their values in the row of {@code archive} with the same primary
     * key, where every term of {@code condition} holds: a lookup per row here, a join in the dialects that have one.
     */
    protected String setFromArchive(ResolvedTable target, ResolvedTable archive, List<String> columns, RowCondition condition) {
        SqlSyntax.Ref b = ref(archive, "b", 0);
        String t = table(target);
        String lookup = " FROM " + b.from() + " WHERE " + joinOn(b.qualifier(), t, target.primaryKey(), target.primaryKey());
        List<String> set = columns.stream().map(c -> quote(c) + " = (SELECT " + b.column(quote(c)) + lookup + ")").toList();
        return "UPDATE " + t + " SET " + String.join(", ", set) + " WHERE EXISTS (SELECT 1" + lookup
                + condition.terms(t, b.qualifier()).stream().map(term -> " AND " + term).collect(Collectors.joining()) + ")";
    }

    /**
     * Primary keys of archived rows whose row in {@code target} no longer has the value the migration gave
     * its {@code column}, kept in the archive's {@code afterColumn}: changed or deleted since.
     */
    public String rowsChangedSince(ResolvedTable target, String column, ResolvedTable archive, String afterColumn) {
        SqlSyntax.Ref b = ref(archive, "b", 0);
        SqlSyntax.Ref c = ref(target, "c", 0);
        return "SELECT " + qualifiedColumns(b.qualifier(), target.primaryKey()) + " FROM " + b.from() + " WHERE NOT EXISTS (SELECT 1 FROM "
                + c.from() + " WHERE " + joinOn(c.qualifier(), b.qualifier(), target.primaryKey(), target.primaryKey()) + " AND "
                + c.column(quote(column)) + " = " + b.column(quote(afterColumn)) + ")";
    }
}
