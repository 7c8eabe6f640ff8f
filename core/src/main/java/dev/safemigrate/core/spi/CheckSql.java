package dev.safemigrate.core.spi;

import dev.safemigrate.core.SafeMigrateException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of a user check, read as tokens ({@link CheckSqlLexer}) and held to the rules every check
 * obeys on every database: one statement, starting with SELECT or WITH, with no word that writes,
 * locks, assigns, or runs other code ({@link #read}). A word is refused wherever it stands outside
 * quotes, so a column that happens to be called {@code lock} must be quoted. What a database can do
 * through functions and views is its dialect's {@link CheckPolicy}, which reads {@link #functionCalls},
 * {@link #names} and {@link #operators}.
 */
public final class CheckSql {
    /** What a token is; strings and quoted names are kept apart because only the latter name things. */
    public enum Kind { WORD, QUOTED_NAME, STRING, NUMBER, OPERATOR, PUNCTUATION }

    /** One token: its kind, its text as written (quotes included), and where it starts (0-based). */
    public record Token(Kind kind, String text, int offset) {
        /** An unquoted word, punctuation or operator spelled {@code text}, ignoring case. */
        public boolean is(String expected) {
            return kind != Kind.STRING && kind != Kind.QUOTED_NAME && text.equalsIgnoreCase(expected);
        }

        public boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED_NAME;
        }

        /** A name without its quotes (a doubled quote inside stands for one). */
        public String name() {
            if (kind != Kind.QUOTED_NAME) {
                return text;
            }
            String quote = text.substring(0, 1);
            return text.substring(1, text.length() - 1).replace(quote + quote, quote);
        }
    }

    /** A name as written, with the name before its dot ({@code qualifier}, null when there is none). */
    public record Name(String qualifier, String name) {
        @Override
        public String toString() {
            return qualifier == null ? name : qualifier + "." + name;
        }
    }

    /** Words that change something, with why; each refused anywhere outside quotes. */
    private static final Map<String, String> FORBIDDEN = forbidden();
    /** Words refused only where they are not a function call: MySQL's INSERT() and everyone's REPLACE() and TRUNCATE() are string and number functions. */
    private static final Set<String> FUNCTION_FORMS = Set.of("insert", "replace", "truncate");
    private static final String SINGLE_SELECT = "a check must be a single SELECT (or WITH ... SELECT) statement";

    private final String sql;
    private final List<Token> tokens;

    private CheckSql(String sql, List<Token> tokens) {
        this.sql = sql;
        this.tokens = tokens;
    }

    private static Map<String, String> forbidden() {
        Map<String, String> words = new java.util.HashMap<>();
        for (String w : List.of("insert", "update", "delete", "merge", "upsert", "replace")) {
            words.put(w, "it changes data");
        }
        for (String w : List.of("into", "outfile", "dumpfile")) {
            words.put(w, "it writes a table, a file or a variable");
        }
        for (String w : List.of("call", "exec", "execute", "do", "procedure", "handler")) {
            words.put(w, "it runs other code");
        }
        for (String w : List.of("create", "drop", "alter", "truncate", "grant", "revoke", "rename")) {
            words.put(w, "it changes the schema or privileges");
        }
        for (String w : List.of("lock", "unlock")) {
            words.put(w, "it takes or releases locks");
        }
        for (String w : List.of("set", "reset")) {
            words.put(w, "it changes settings or variables");
        }
        for (String w : List.of("listen", "unlisten", "notify")) {
            words.put(w, "it sends or subscribes to notifications");
        }
        words.put("copy", "it copies data to or from files and programs");
        return Map.copyOf(words);
    }

    /**
     * Reads {@code sql} (a trailing {@code ;} is allowed) and applies the rules; throws a
     * {@code SafeMigrateException} (exit 2) naming the offending token and its position.
     */
    public static CheckSql read(String sql) {
        String text = sql == null ? "" : sql;
        List<Token> tokens = new ArrayList<>(CheckSqlLexer.tokens(text));
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).is(";")) {
            tokens.remove(tokens.size() - 1);
        }
        if (tokens.isEmpty() || !(tokens.get(0).is("select") || tokens.get(0).is("with"))) {
            throw SafeMigrateException.invalid(SINGLE_SELECT + (tokens.isEmpty() ? "" : ", not one starting with '" + tokens.get(0).text() + "'"));
        }
        for (int i = 0; i < tokens.size(); i++) {
            refuseAt(tokens, i);
        }
        return new CheckSql(text, List.copyOf(tokens));
    }

    private static void refuseAt(List<Token> tokens, int i) {
        Token token = tokens.get(i);
        Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
        if (token.is(";")) {
            throw SafeMigrateException.invalid(SINGLE_SELECT + "; found ';' at character " + (token.offset() + 1) + " before more SQL");
        }
        if (token.kind() != Kind.WORD || next != null && next.is("(") && FUNCTION_FORMS.contains(lower(token.text()))) {
            return;
        }
        if (token.is("for") && next != null && (next.is("update") || next.is("share") || next.is("no") || next.is("key"))) {
            throw CheckSqlLexer.refuse(token.offset(), token.text() + " " + next.text(), "a check may not lock rows");
        }
        if (token.is("next") && next != null && next.is("value")) {
            throw CheckSqlLexer.refuse(token.offset(), token.text() + " " + next.text(), "a check may not advance a sequence");
        }
        String reason = FORBIDDEN.get(lower(token.text()));
        if (reason != null) {
            throw CheckSqlLexer.refuse(token.offset(), token.text(), "a check may not contain " + token.text().toUpperCase(Locale.ROOT) + ": "
                    + reason + " (quote it if it is the name of a table or column)");
        }
    }

    /** The text as given. */
    public String sql() {
        return sql;
    }

    /** The statement to run: the text up to its last token, so without a trailing {@code ;} or comment. */
    public String statement() {
        Token last = tokens.get(tokens.size() - 1);
        return sql.substring(0, last.offset() + last.text().length()).strip();
    }

    /** Every token, without comments, whitespace and a trailing {@code ;}. */
    public List<Token> tokens() {
        return tokens;
    }

    /**
     * Every name followed by {@code (}, with its qualifier: the functions the check may call. Left out,
     * because the database does not read them as calls either: a name right after {@code )} (an alias
     * with a column list, {@code FILTER (}, {@code OVER (}), a name right after {@code AS}
     * ({@code AS t(a, b)}, {@code CAST(x AS CHAR(10))}), and a common table expression's name before
     * its column list. Grammar words such as {@code EXISTS (} and {@code IN (} are included.
     */
    public List<Name> functionCalls() {
        List<Name> calls = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).isName() && tokens.get(i + 1).is("(")) {
                Name name = nameAt(i);
                boolean alias = i > 0 && (tokens.get(i - 1).is(")") || tokens.get(i - 1).is("as")) || isCteColumnList(i);
                if (name.qualifier() != null || !alias) {
                    calls.add(name);
                }
            }
        }
        return calls;
    }

    /** Every name in the check with its qualifier ({@code s.t.c} gives {@code s}, {@code s.t}, {@code t.c}): the relations it may read. */
    public List<Name> names() {
        List<Name> names = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isName()) {
                names.add(nameAt(i));
            }
        }
        return names;
    }

    /** Every run of operator characters as written ({@code =}, {@code <>}, {@code @>}, ...). */
    public Set<String> operators() {
        Set<String> operators = new LinkedHashSet<>();
        for (Token token : tokens) {
            if (token.kind() == Kind.OPERATOR) {
                operators.add(token.text());
            }
        }
        return operators;
    }

    private Name nameAt(int i) {
        boolean qualified = i >= 2 && tokens.get(i - 1).is(".") && tokens.get(i - 2).isName();
        return new Name(qualified ? tokens.get(i - 2).name() : null, tokens.get(i).name());
    }

    /** {@code WITH r (a, b) AS (...)}, {@code , r (a) AS MATERIALIZED (...)}: the name at {@code i} starts a CTE with a column list. */
    private boolean isCteColumnList(int i) {
        if (i == 0 || !(tokens.get(i - 1).is("with") || tokens.get(i - 1).is("recursive") || tokens.get(i - 1).is(","))) {
            return false;
        }
        int depth = 0;
        for (int j = i + 1; j < tokens.size(); j++) {
            if (tokens.get(j).is("(")) {
                depth++;
            } else if (tokens.get(j).is(")") && --depth == 0) {
                return j + 2 < tokens.size() && tokens.get(j + 1).is("as")
                        && (tokens.get(j + 2).is("(") || tokens.get(j + 2).is("materialized") || tokens.get(j + 2).is("not"));
            }
        }
        return false;
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
