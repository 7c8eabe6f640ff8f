package dev.safemigrate.core.sql;

import dev.safemigrate.core.spi.ArchiveSpec;
import dev.safemigrate.core.spi.ForeignKey;
import dev.safemigrate.core.spi.ResolvedTable;
import java.util.List;

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
    public String restoreRemainder(ResolvedTable target, ResolvedTable archive) {
        SqlSyntax.Ref a = ref(archive, "a", 0);
        SqlSyntax.Ref x = ref(target, "x", 1);
        return restoreRows(target, archive) + " WHERE NOT EXISTS (SELECT 1 FROM " + x.from() + " WHERE "
                + joinOn(x.qualifier(), a.qualifier(), target.primaryKey(), target.primaryKey()) + ")";
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
        SqlSyntax.Ref b = ref(archive, "b", 0);
        String lookup = " FROM " + b.from() + " WHERE " + joinOn(b.qualifier(), table(target), target.primaryKey(), target.primaryKey());
        return "UPDATE " + table(target) + " SET " + quote(column) + " = (SELECT " + b.column(quote(column)) + lookup
                + ") WHERE EXISTS (SELECT 1" + lookup + ")";
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
