package dev.safemigrate.core.spi;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.CheckSql.Kind;
import dev.safemigrate.core.spi.CheckSql.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a check into tokens the way every supported database would, and refuses whatever two of
 * them (or two settings of one) would read differently, since a difference is a place to hide SQL
 * from this reading: backslashes in quotes (an escape under MySQL's default sql_mode and PostgreSQL's
 * {@code E''} strings, a plain character elsewhere), {@code U&"..."} names and strings (escapes that
 * spell another name, {@code U&"!0073etval" UESCAPE '!'} is setval), nested block comments (PostgreSQL nests them,
 * MySQL does not), MySQL's executable comments and optimizer hints ({@code /*!}, {@code /*M!},
 * {@code /*+}), {@code #} comments (an operator in PostgreSQL), {@code --} not followed by a space
 * (a comment in PostgreSQL and H2, two minus signs in MySQL), dollar quoting and parameters
 * ({@code $}), JDBC escapes ({@code {...}}), a number run into letters ({@code 1e5sleep}), and
 * control characters. Any other character from U+0080 up belongs to a name, as PostgreSQL and MySQL
 * read it (so a Unicode space cannot separate two words the databases would see as one).
 */
final class CheckSqlLexer {
    private static final String OPERATOR_CHARS = "+-*/<>=~!%^&|?@";
    private static final String PUNCTUATION = "(),;[].";

    private final String sql;
    private final List<Token> tokens = new ArrayList<>();
    private int i;

    private CheckSqlLexer(String sql) {
        this.sql = sql;
    }

    static List<Token> tokens(String sql) {
        CheckSqlLexer lexer = new CheckSqlLexer(sql);
        lexer.run();
        return List.copyOf(lexer.tokens);
    }

    private void run() {
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                i++;
            } else if (sql.startsWith("--", i)) {
                lineComment();
            } else if (sql.startsWith("/*", i)) {
                blockComment();
            } else if (c == '\'') {
                quoted(Kind.STRING, '\'');
            } else if (c == '"' || c == '`') {
                quoted(Kind.QUOTED_NAME, c);
            } else if (isWordStart(c)) {
                word();
            } else if (isDigit(c) || c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1))) {
                number();
            } else if (c == ':') {
                colon();
            } else if (PUNCTUATION.indexOf(c) >= 0) {
                add(Kind.PUNCTUATION, i, i + 1);
            } else if (OPERATOR_CHARS.indexOf(c) >= 0) {
                operator();
            } else {
                throw refuse(i, String.valueOf(c), reasonFor(c));
            }
        }
    }

    private static String reasonFor(char c) {
        return switch (c) {
            case '#' -> "# starts a comment in MySQL but is an operator in PostgreSQL; use -- comments";
            case '$' -> "dollar quoting and $ parameters are not allowed in a check";
            case '{', '}' -> "JDBC escape syntax is not allowed in a check";
            case '\\' -> "a backslash outside a string is not allowed in a check";
            default -> c < ' ' || c == 0x7f ? "control characters are not allowed in a check" : "this character is not allowed in a check";
        };
    }

    private void lineComment() {
        int after = i + 2;
        if (after < sql.length() && " \t\n\r\f".indexOf(sql.charAt(after)) < 0) {
            throw refuse(i, sql.substring(i, Math.min(sql.length(), i + 3)),
                    "-- not followed by a space starts a comment in PostgreSQL and H2 but is two minus signs in MySQL; write '-- ' or 'a - -b'");
        }
        int end = sql.indexOf('\n', after);
        i = end < 0 ? sql.length() : end + 1;
    }

    private void blockComment() {
        if (sql.startsWith("/*!", i) || sql.startsWith("/*M!", i) || sql.startsWith("/*+", i)) {
            throw refuse(i, sql.substring(i, Math.min(sql.length(), i + 4)),
                    "MySQL runs the text of /*! ... */ comments and reads /*+ ... */ as optimizer hints; a check may not contain them");
        }
        int end = sql.indexOf("*/", i + 2);
        if (end < 0) {
            throw refuse(i, "/*", "the comment is not closed");
        }
        int nested = sql.indexOf("/*", i + 2);
        if (nested >= 0 && nested < end) {
            throw refuse(nested, "/*", "a comment inside a comment ends at the first */ in MySQL but at the matching one in PostgreSQL");
        }
        i = end + 2;
    }

    /** A string or quoted name; a doubled quote stays inside, and a backslash is refused (its meaning depends on settings). */
    private void quoted(Kind kind, char quote) {
        int start = i;
        int j = i + 1;
        while (j < sql.length()) {
            char c = sql.charAt(j);
            if (c == '\\') {
                throw refuse(j, "\\", "a backslash inside quotes is an escape in MySQL (by default) and in PostgreSQL E'' strings but a"
                        + " plain character elsewhere; write the text without it (CHR(92) gives a backslash)");
            }
            if (c == quote && j + 1 < sql.length() && sql.charAt(j + 1) == quote) {
                j += 2;
            } else if (c == quote) {
                add(kind, start, j + 1);
                return;
            } else {
                j++;
            }
        }
        throw refuse(start, String.valueOf(quote), "the quote is not closed");
    }

    private void word() {
        int start = i;
        int j = i + 1;
        while (j < sql.length() && (isWordStart(sql.charAt(j)) || isDigit(sql.charAt(j)) || sql.charAt(j) == '$')) {
            j++;
        }
        String text = sql.substring(start, j);
        if (text.equalsIgnoreCase("e") && j < sql.length() && sql.charAt(j) == '\'') {
            throw refuse(start, "E'", "PostgreSQL reads backslash escapes in E'' strings; write a plain '...' string");
        }
        if (text.equalsIgnoreCase("u") && (sql.startsWith("&'", j) || sql.startsWith("&\"", j))) {
            throw refuse(start, sql.substring(start, j + 2), "PostgreSQL and H2 decode escapes in U& strings and names, so the name"
                    + " they call is not the one written; write the characters themselves");
        }
        add(Kind.WORD, start, j);
    }

    /** Digits, a fraction, an exponent, or a 0x / 0b literal; a number that runs into letters is read differently by each database. */
    private void number() {
        int start = i;
        int j = i;
        if (sql.startsWith("0x", j) || sql.startsWith("0X", j) || sql.startsWith("0b", j) || sql.startsWith("0B", j)) {
            j += 2;
            while (j < sql.length() && Character.digit(sql.charAt(j), 16) >= 0) {
                j++;
            }
        } else {
            j = digits(j);
            if (j < sql.length() && sql.charAt(j) == '.') {
                j = digits(j + 1);
            }
            if (j + 1 < sql.length() && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')) {
                int exponent = j + 1 < sql.length() && (sql.charAt(j + 1) == '+' || sql.charAt(j + 1) == '-') ? j + 2 : j + 1;
                if (exponent < sql.length() && isDigit(sql.charAt(exponent))) {
                    j = digits(exponent);
                }
            }
        }
        if (j < sql.length() && (isWordStart(sql.charAt(j)) || sql.charAt(j) == '$')) {
            int end = j;
            while (end < sql.length() && (isWordStart(sql.charAt(end)) || isDigit(sql.charAt(end)))) {
                end++;
            }
            throw refuse(start, sql.substring(start, end), "a number run into letters is a name in MySQL but a number and a name elsewhere;"
                    + " separate them with a space or quote the name");
        }
        add(Kind.NUMBER, start, j);
    }

    private int digits(int from) {
        int j = from;
        while (j < sql.length() && isDigit(sql.charAt(j))) {
            j++;
        }
        return j;
    }

    private void colon() {
        if (sql.startsWith(":=", i)) {
            throw refuse(i, ":=", "assigning a variable changes session state; a check may not contain :=");
        }
        add(Kind.PUNCTUATION, i, sql.startsWith("::", i) ? i + 2 : i + 1);
    }

    /** A run of operator characters, as PostgreSQL reads one, ending before a comment start. */
    private void operator() {
        int j = i + 1;
        while (j < sql.length() && OPERATOR_CHARS.indexOf(sql.charAt(j)) >= 0 && !sql.startsWith("--", j) && !sql.startsWith("/*", j)) {
            j++;
        }
        add(Kind.OPERATOR, i, j);
    }

    private void add(Kind kind, int start, int end) {
        tokens.add(new Token(kind, sql.substring(start, end), start));
        i = end;
    }

    private static boolean isWordStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static SafeMigrateException refuse(int offset, String token, String reason) {
        return SafeMigrateException.invalid("refused at character " + (offset + 1) + " ('" + token + "'): " + reason);
    }
}
