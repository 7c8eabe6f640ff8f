package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.CheckSql;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tables a user check reads, and the names it reads them under, so that {@link MysqlTableLocks} can
 * lock each one: under {@code LOCK TABLES} a statement fails (error 1100) on any table or alias the
 * lock does not name.
 *
 * <p>A reader of core's check tokens ({@link CheckSql}), not a parser: it tracks parentheses, and reads
 * a table reference after {@code FROM}, after every {@code JOIN}, and after each comma of a {@code FROM} list, in every query and subquery. A {@code FROM} inside a function call
 * ({@code EXTRACT(YEAR FROM d)}, {@code TRIM(... FROM s)}) is not a table's, because only a parenthesis
 * level that has seen {@code SELECT} holds a {@code FROM} list. Derived tables need no lock (their own
 * {@code FROM} is read like any other). Common table expression names are collected and skipped.
 * What it cannot read with certainty (a parenthesized join, a table function) is refused rather than
 * guessed, so a check never fails half-way through a run.
 */
final class CheckTables {
    /** A table as a check names it, and the alias it is read under (null: under its own name). */
    record Reference(String schema, String name, String alias) {
    }

    /** Words that end a table reference where an alias could otherwise stand. */
    private static final Set<String> NOT_ALIAS = Set.of("join", "inner", "left", "right", "cross", "natural", "straight_join", "full",
            "outer", "on", "using", "where", "group", "having", "order", "limit", "union", "except", "intersect", "window", "use",
            "ignore", "force", "partition", "for", "lock", "into", "as");
    /** Words after which a level's {@code FROM} list has ended. */
    private static final Set<String> END_OF_FROM = Set.of("where", "group", "having", "order", "limit", "union", "except",
            "intersect", "window", "for", "lock", "into");

    /** One parenthesis level: whether it is a query (has seen SELECT), and whether its FROM list is being read. */
    private static final class Level {
        boolean query;
        boolean inFrom;
    }

    private final String sql;
    private final List<String> tokens;
    private final List<Reference> references = new ArrayList<>();
    private final Set<String> cteNames = new HashSet<>();

    private CheckTables(String sql) {
        this.sql = sql;
        this.tokens = tokenize(sql);
    }

    /** The tables {@code sql} reads, excluding common table expressions and {@code DUAL}. */
    static List<Reference> of(String sql) {
        CheckTables reader = new CheckTables(sql);
        reader.read();
        return reader.references.stream().filter(r -> r.schema() != null || !reader.cteNames.contains(lower(r.name()))).toList();
    }

    private void read() {
        List<Level> levels = new ArrayList<>();
        levels.add(new Level());
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            String word = lower(token);
            Level level = levels.get(levels.size() - 1);
            if (token.equals("(")) {
                if (i >= 2 && lower(tokens.get(i - 1)).equals("as") && isName(tokens.get(i - 2))) {
                    cteNames.add(lower(unquote(tokens.get(i - 2))));
                } else if (i >= 2 && lower(tokens.get(i - 1)).equals("as") && tokens.get(i - 2).equals(")")) {
                    cteNames.add(lower(unquote(tokens.get(nameBeforeColumnList(i - 2)))));
                }
                levels.add(new Level());
            } else if (token.equals(")")) {
                if (levels.size() == 1) {
                    throw unreadable("unbalanced parentheses");
                }
                levels.remove(levels.size() - 1);
            } else if (word.equals("select")) {
                level.query = true;
                level.inFrom = false;
            } else if (word.equals("from") && level.query) {
                level.inFrom = true;
                reference(i + 1);
            } else if (level.inFrom && (word.equals("join") || word.equals("straight_join") || token.equals(","))) {
                reference(i + 1);
            } else if (END_OF_FROM.contains(word)) {
                level.inFrom = false;
            }
        }
        if (levels.size() != 1) {
            throw unreadable("unbalanced parentheses");
        }
    }

    /** Reads the table reference that starts at token {@code i}. */
    private void reference(int i) {
        if (i < tokens.size() && lower(tokens.get(i)).equals("lateral")) {
            i++;
        }
        if (i >= tokens.size()) {
            throw unreadable("FROM or JOIN is not followed by a table");
        }
        if (tokens.get(i).equals("(")) {
            String next = i + 1 < tokens.size() ? lower(tokens.get(i + 1)) : "";
            if (next.equals("select") || next.equals("with")) {
                return;
            }
            throw unreadable("a parenthesized table list");
        }
        if (!isName(tokens.get(i))) {
            throw unreadable((tokens.get(i).equals("?") ? "a string or number" : "'" + tokens.get(i) + "'") + " where a table name was expected");
        }
        String schema = null;
        String name = unquote(tokens.get(i));
        int next = i + 1;
        if (next + 1 < tokens.size() && tokens.get(next).equals(".") && isName(tokens.get(next + 1))) {
            schema = name;
            name = unquote(tokens.get(next + 1));
            next += 2;
        }
        if (next < tokens.size() && tokens.get(next).equals("(")) {
            throw unreadable("the table function " + name);
        }
        if (schema == null && lower(name).equals("dual")) {
            return;
        }
        if (next < tokens.size() && lower(tokens.get(next)).equals("as")) {
            next++;
        }
        String alias = null;
        if (next < tokens.size() && isName(tokens.get(next)) && !NOT_ALIAS.contains(lower(tokens.get(next)))) {
            alias = unquote(tokens.get(next));
        }
        references.add(new Reference(schema, name, alias));
    }

    /** The index of the name before a CTE's column list {@code name (a, b) AS (}, given the index of its ')'. */
    private int nameBeforeColumnList(int close) {
        int depth = 0;
        for (int j = close; j >= 0; j--) {
            if (tokens.get(j).equals(")")) {
                depth++;
            } else if (tokens.get(j).equals("(") && --depth == 0) {
                if (j > 0 && isName(tokens.get(j - 1))) {
                    return j - 1;
                }
                break;
            }
        }
        throw unreadable("a column list not preceded by a name");
    }

    private SafeMigrateException unreadable(String what) {
        return SafeMigrateException.refused("cannot tell which tables the check (" + sql + ") reads: " + what
                + ". On MySQL/MariaDB every table a check reads must be locked for the run (LOCK TABLES),"
                + " so write it with plain FROM/JOIN table references");
    }

    /**
     * The check's tokens ({@link CheckSql}) as this reader needs them: words, `quoted names` with their
     * quotes, punctuation and operators as written, and "?" for strings and numbers ("..." is a string
     * in MySQL).
     */
    static List<String> tokenize(String sql) {
        return CheckSql.read(sql).tokens().stream().map(t -> switch (t.kind()) {
            case STRING, NUMBER -> "?";
            case QUOTED_NAME -> t.text().startsWith("`") ? t.text() : "?";
            default -> t.text();
        }).toList();
    }

    private static boolean isName(String token) {
        char c = token.charAt(0);
        return c == '`' || Character.isLetter(c) || c == '_' || c == '$';
    }

    private static String unquote(String token) {
        return token.charAt(0) == '`' ? token.substring(1, token.length() - 1).replace("``", "`") : token;
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
