package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.sql.ArchiveSql;
import dev.safemigrate.core.sql.ConstraintSql;
import dev.safemigrate.core.sql.DedupeSql;
import dev.safemigrate.core.sql.ResequenceSql;
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.core.sql.SqlSyntax;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The step SQL for MySQL and MariaDB. Rows are deleted and updated with multi-table
 * {@code DELETE ... JOIN} / {@code UPDATE ... JOIN} against the archive, never with
 * {@code NOT IN (subquery on the same table)} (error 1093, and quadratic where it runs).
 *
 * <p>Under {@code LOCK TABLES} a statement may name a table only as it was locked: by its name or by
 * an alias locked for that very table, and no alias may be locked for two tables. So the one naming hook,
 * {@link Syntax#ref}, gives a base table no alias the first time a statement reads it (columns are qualified
 * with the table's own name) and the locked aliases {@link #ALIAS_PREFIXES} the second and third time;
 * {@link MysqlTableLocks} locks every run table under all of them. Derived tables keep short aliases.
 */
final class MysqlSql {
    /** Prefixes of the aliases for the second and third reference to a table in one statement; {@link MysqlTableLocks} locks each. */
    static final List<String> ALIAS_PREFIXES = List.of("x_", "y_");

    private MysqlSql() {
    }

    static Sql create(UnaryOperator<String> quoting) {
        Syntax syntax = new Syntax(quoting);
        return Sql.standard(syntax).withArchive(new Archive(syntax)).withDedupe(new Dedupe(syntax)).withResequence(new Resequence(syntax))
                .withConstraints(new Constraints(syntax));
    }

    static final class Syntax extends SqlSyntax {
        Syntax(UnaryOperator<String> quoting) {
            super(quoting);
        }

        @Override
        public Ref ref(ResolvedTable table, String alias, int occurrence) {
            if (occurrence == 0) {
                return new Ref(table(table), table(table));
            }
            String name = quote(ALIAS_PREFIXES.get(occurrence - 1) + table.name());
            return new Ref(table(table) + " " + name, name);
        }

        @Override
        public String limit(String select, int rows) {
            return select + " LIMIT " + rows;
        }
    }

    private static final class Archive extends ArchiveSql {
        Archive(SqlSyntax syntax) {
            super(syntax);
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

        @Override
        public String deleteArchived(ResolvedTable target, ResolvedTable archive) {
            return "DELETE " + table(target) + " FROM " + table(target) + " JOIN " + table(archive) + " ON "
                    + joinOn(table(archive), table(target), target.primaryKey(), target.primaryKey());
        }

        @Override
        protected String setFromArchive(ResolvedTable target, ResolvedTable archive, List<String> columns, RowCondition condition) {
            String c = table(target);
            String b = table(archive);
            List<String> set = columns.stream().map(column -> c + "." + quote(column) + " = " + b + "." + quote(column)).toList();
            return "UPDATE " + c + " JOIN " + b + " ON " + joinOn(b, c, target.primaryKey(), target.primaryKey())
                    + condition.terms(c, b).stream().map(t -> " AND " + t).collect(Collectors.joining()) + " SET " + String.join(", ", set);
        }
    }

    private static final class Dedupe extends DedupeSql {
        Dedupe(SqlSyntax syntax) {
            super(syntax);
        }

        /**
         * A join from the losers (their ids are unique, so no child row comes twice): MariaDB runs an
         * {@code EXISTS} as a scan of every child row, the join as one index lookup per loser.
         */
        @Override
        public String referencingRows(ResolvedTable child, String column, SqlSyntax.Relation losers, String parentPk) {
            SqlSyntax.Ref l = syntax.ref(losers, "l", 0);
            SqlSyntax.Ref c = ref(child, "c", 0);
            return "SELECT " + qualifiedColumns(c.qualifier(), child.columnNames()) + " FROM " + l.from() + " JOIN " + c.from()
                    + " ON " + l.column(quote(parentPk)) + " = " + c.column(quote(column));
        }

        @Override
        public String repoint(ResolvedTable child, String column, ResolvedTable parentArchive, String parentPk) {
            String c = table(child);
            String a = table(parentArchive);
            return "UPDATE " + c + " JOIN " + a + " ON " + a + "." + quote(parentPk) + " = " + c + "." + quote(column)
                    + " SET " + c + "." + quote(column) + " = " + a + "." + quote(KEEP_PREFIX + 1);
        }

        /**
         * A join names each archive once: MySQL refuses a table named twice in one statement while LOCK TABLES
         * holds, as the default's two lookups did (a reversal of a join table's repoint failed inside the run).
         */
        @Override
        public String restoreRepointedKey(ResolvedTable child, String column, ResolvedTable childArchive, ResolvedTable parentArchive,
                                          String parentPk) {
            String c = table(child);
            SqlSyntax.Ref b = ref(childArchive, "b", 0);
            SqlSyntax.Ref d = ref(parentArchive, "d", 0);
            return "UPDATE " + c + " JOIN " + b.from() + " JOIN " + d.from() + " ON " + survivorOf(b, d, column, parentPk) + " AND "
                    + afterImage(child, c, column, b, d) + " SET " + c + "." + quote(column) + " = " + b.column(quote(column));
        }

        /** A join, where the default looks each child row's before-image up twice. */
        @Override
        public String restoreRepointedUnchanged(ResolvedTable child, String column, ResolvedTable childArchive, ResolvedTable parentArchive,
                                                String parentPk, String losers) {
            String c = table(child);
            SqlSyntax.Ref b = ref(childArchive, "b", 0);
            SqlSyntax.Ref d = ref(parentArchive, "d", 0);
            return "UPDATE " + c + " JOIN " + b.from() + " JOIN " + d.from() + " ON " + unchanged(child, c, column, b, d, parentPk, losers)
                    + " SET " + c + "." + quote(column) + " = " + b.column(quote(column));
        }
    }

    private static final class Resequence extends ResequenceSql {
        Resequence(SqlSyntax syntax) {
            super(syntax);
        }

        /** A join names the archive once: MySQL refuses a table named twice (even under its own name) while LOCK TABLES holds. */
        @Override
        public String setFromArchive(ResolvedTable target, String column, ResolvedTable archive, String archiveColumn, long offset) {
            String t = table(target);
            String b = table(archive);
            return "UPDATE " + t + " JOIN " + b + " ON " + joinOn(b, t, target.primaryKey(), target.primaryKey())
                    + " SET " + t + "." + quote(column) + " = " + b + "." + quote(archiveColumn) + " + " + offset;
        }
    }

    private static final class Constraints extends ConstraintSql {
        Constraints(SqlSyntax syntax) {
            super(syntax);
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
    }
}
