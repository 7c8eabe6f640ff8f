package dev.safemigrate.core.sql;

import java.util.function.UnaryOperator;

/**
 * The SQL of a dialect, by concern: its {@link SqlSyntax} and the statements of archives, dedupe and
 * repoint, resequence, and constraints. Written in standard SQL that PostgreSQL, MariaDB 10.2+ and H2 2
 * accept (MySQL 8 needs its own {@code LIMIT}); a dialect passes its own subclass of a part where its
 * database does something differently or faster. Every statement is set-based: rows never leave the database.
 */
public record Sql(SqlSyntax syntax, ArchiveSql archive, DedupeSql dedupe, ResequenceSql resequence, ConstraintSql constraints) {
    /** The standard statements, with {@code quoting} for identifiers. */
    public static Sql standard(UnaryOperator<String> quoting) {
        return standard(new SqlSyntax(quoting));
    }

    /** The standard statements over {@code syntax}. */
    public static Sql standard(SqlSyntax syntax) {
        return new Sql(syntax, new ArchiveSql(syntax), new DedupeSql(syntax), new ResequenceSql(syntax), new ConstraintSql(syntax));
    }

    public Sql withArchive(ArchiveSql part) {
        return new Sql(syntax, part, dedupe, resequence, constraints);
    }

    public Sql withDedupe(DedupeSql part) {
        return new Sql(syntax, archive, part, resequence, constraints);
    }

    public Sql withResequence(ResequenceSql part) {
        return new Sql(syntax, archive, dedupe, part, constraints);
    }

    public Sql withConstraints(ConstraintSql part) {
        return new Sql(syntax, archive, dedupe, resequence, part);
    }
}
