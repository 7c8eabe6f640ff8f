package dev.safemigrate.rules;

import dev.safemigrate.core.SafeMigrateException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * The text of a rules file, checked before YAML parses it: strict UTF-8 (a leading byte-order mark is
 * dropped), no control characters, lines within {@link Limits#LINE_CHARS}. Every error is located at
 * the first offending character, counted as SnakeYAML counts (code points; LF, CR, CRLF, NEL, LS and PS
 * end a line), so it agrees with the locations of the YAML errors.
 */
final class RulesText {
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private RulesText() {
    }

    /** {@code bytes} as text; an invalid byte is reported at its line and column. */
    static String decode(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never decodes to more chars than it has bytes.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        String text = out.flip().toString();
        if (result.isError()) {
            // The valid text before the bad byte is checked first: an earlier problem is the one to report.
            throw end(withoutByteOrderMark(text), source).error("", "invalid UTF-8: byte 0x%02X at offset %d cannot start or continue a character;"
                    .formatted(bytes[in.position()] & 0xFF, in.position()) + " a rules file must be UTF-8 text");
        }
        return withoutByteOrderMark(text);
    }

    private static String withoutByteOrderMark(String text) {
        return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }

    /** Checks {@code text} (see the class comment) and returns it. */
    static String check(String text, String source) {
        end(text, source);
        return text;
    }

    /** Where {@code text} ends, after checking every character and line of it. */
    private static Mark end(String text, String source) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            int c = text.codePointAt(i);
            if (c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\r' && !text.startsWith("\n", i + 1)) {
                line++;
                column = 1;
                continue;
            }
            if (!StreamReader.isPrintable(c)) {
                throw new Mark(source, line, column).error("", describe(c) + " is not allowed in a rules file");
            }
            if (column > Limits.LINE_CHARS) {
                throw new Mark(source, line, column).error("", "line " + line + " is longer than " + Limits.LINE_CHARS
                        + " characters, the most a rules file allows on one line");
            }
            column++;
        }
        return new Mark(source, line, column);
    }

    /** The first character of {@code text} that may not appear in a rules file (as an escape it still can), or -1. */
    static int firstControl(String text) {
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            if (!StreamReader.isPrintable(text.codePointAt(i))) {
                return text.codePointAt(i);
            }
        }
        return -1;
    }

    static String describe(int codePoint) {
        return "control character U+%04X".formatted(codePoint);
    }
}
