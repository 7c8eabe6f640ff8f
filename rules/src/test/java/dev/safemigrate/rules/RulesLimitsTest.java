package dev.safemigrate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hostile rules files: every bound is refused with exit 2, the file named, and located where there is a location. */
class RulesLimitsTest {
    private static final Extensions EXTENSIONS = TestSteps.extensions();
    private static final String VALID = "id: m1\nsteps:\n  - dedupe: {table: t, key: a}\n";

    @TempDir
    Path dir;

    private static String loadError(Path... paths) {
        SafeMigrateException e = catchThrowableOfType(SafeMigrateException.class, () -> Rules.load(EXTENSIONS, List.of(paths)));
        assertThat(e).as("an error").isNotNull();
        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID);
        return e.getMessage();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** A file of {@code size} bytes that starts with {@code head}; the rest is a hole, so writing it costs nothing. */
    private Path sparse(String name, String head, long size) throws IOException {
        Path file = write(name, head.getBytes(StandardCharsets.UTF_8));
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength(size);
        }
        return file;
    }

    @Test
    void aFiftyMegabyteFileIsRefusedFromItsSizeBeforeItIsRead() throws IOException {
        // The repro: a 50 MB scalar kept `plan` busy for over 300 s and 1.7 GB.
        Path file = sparse("huge.yaml", "id: m1\ndescription: x", 50_000_000);

        assertThat(loadError(file)).isEqualTo(file + ": the file is 50000000 bytes; a rules file may be at most 1048576 bytes (1 MiB)");
    }

    @Test
    void aFileJustOverTheLimitIsRefusedAndOneAtItIsRead() throws IOException {
        Path over = sparse("over.yaml", "", Limits.FILE_BYTES + 1);
        assertThat(loadError(over)).startsWith(over + ": the file is 1048577 bytes");

        // A file of exactly 1 MiB is read: its comment lines are fine, only the YAML inside counts.
        String comment = "#" + "c".repeat(1022) + "\n";
        String text = VALID + comment.repeat((Limits.FILE_BYTES - VALID.length()) / comment.length());
        text += "#".repeat(Limits.FILE_BYTES - text.length());
        Path atLimit = write("at.yaml", text.getBytes(StandardCharsets.UTF_8));
        assertThat(Files.size(atLimit)).isEqualTo(Limits.FILE_BYTES);
        assertThat(Rules.load(EXTENSIONS, List.of(atLimit))).extracting(Migration::id).containsExactly("m1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /dev/zero      | /dev/zero: the file is more than 1048576 bytes; a rules file may be at most 1048576 bytes (1 MiB)
            /proc/self/mem | /proc/self/mem: cannot read the file (
            """)
    void filesWhoseSizeIsNotKnownAreReadOnlyUpToTheLimitOrSayWhyNot(String path, String expected) {
        // Both report a size of 0. Reading a process's own memory at offset 0 fails, even for root, who may read any file.
        assumeTrue(Files.exists(Path.of(path)), "needs Linux " + path);

        assertThat(loadError(Path.of(path))).startsWith(expected);
    }

    @Test
    void tooManyFilesOrBytesInTheGivenDirectoriesAreRefusedBeforeAnyIsRead() throws IOException {
        Path big = Files.createDirectory(dir.resolve("big"));
        for (int i = 0; i < 64; i++) {
            sparse("big/f" + i + ".yaml", "", Limits.FILE_BYTES);
        }
        // One more byte, in a file that is not even YAML: nothing was parsed, or its error would come first.
        Path last = sparse("big/g.yaml", "not: [yaml", 1);

        assertThat(loadError(big)).isEqualTo("the rules files given hold more than 10000 files or more than 64 MiB (65 files and "
                + (64L * Limits.FILE_BYTES + 1) + " bytes so far, up to " + last + "): give fewer files or directories");

        Path many = Files.createDirectory(dir.resolve("many"));
        for (int i = 0; i <= Limits.FILES; i++) {
            Files.createFile(many.resolve("m" + i + ".yml"));
        }
        assertThat(loadError(many)).startsWith("the rules files given hold more than 10000 files or more than 64 MiB (10001 files and 0 bytes");
    }

    @Test
    void anEmptyPathIsRefusedRatherThanTakenAsTheCurrentDirectory() {
        assertThat(loadError(Path.of(""))).isEqualTo("an empty path was given: name a rules file or a directory of them");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            69 64 3A 20 E9 0A                               | 1:5: invalid UTF-8: byte 0xE9 at offset 4
            69 64 3A 20 6D 31 0A 64 3A 20 C3 A9 C3 0A       | 2:5: invalid UTF-8: byte 0xC3 at offset 12
            69 64 3A 20 6D 0A 0A 20 20 78 3A 20 F0 9F 98    | 3:6: invalid UTF-8: byte 0xF0 at offset 12
            69 64 3A 20 C0 AF                               | 1:5: invalid UTF-8: byte 0xC0 at offset 4
            EF BB BF 69 64 3A 20 FF                         | 1:5: invalid UTF-8: byte 0xFF at offset 7
            69 64 3A 20 ED A0 80                            | 1:5: invalid UTF-8: byte 0xED at offset 4
            """)
    void invalidUtf8IsReportedAtItsFirstBadByte(String hex, String expected) throws IOException {
        // A lone first byte, a truncated sequence (mid-file and at the end), an overlong '/', after a BOM, an encoded surrogate.
        Path file = write("bad.yaml", bytes(hex));

        assertThat(loadError(file)).startsWith(file + ":" + expected + " cannot start or continue a character; a rules file must be UTF-8 text");
    }

    private static byte[] bytes(String hex) {
        String[] parts = hex.trim().split(" +");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }

    @Test
    void aByteOrderMarkIsAcceptedAndChangesNothing() throws IOException {
        Path plain = write("a.yaml", VALID.getBytes(StandardCharsets.UTF_8));
        Path marked = Files.createDirectory(dir.resolve("bom")).resolve("a.yaml");
        Files.writeString(marked, "\uFEFF" + VALID);

        Migration withMark = Rules.load(EXTENSIONS, List.of(marked)).get(0);

        assertThat(withMark.checksum()).isEqualTo(Rules.load(EXTENSIONS, List.of(plain)).get(0).checksum());
        // Locations after the mark are counted without it.
        Files.writeString(marked, "\uFEFF" + VALID.replace("id: m1", "id: 'a b'"));
        assertThat(loadError(marked)).startsWith(marked + ":1:5: id: invalid id 'a b'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            'id: m\\u0000'                  | 1:6: control character U+0000 is not allowed in a rules file
            'id: m1\\nsteps:\\n  - \\u0007'  | 3:5: control character U+0007 is not allowed in a rules file
            'id: m1\\r\\n\\u001B[31m'        | 2:1: control character U+001B is not allowed in a rules file
            'id: m1\\r\\u007F'               | 2:1: control character U+007F is not allowed in a rules file
            'id: "m\\\\0"'                  | 1:5: the value holds control character U+0000, which is not allowed in a rules file
            'id: m1\\n"k\\\\x01": 1'         | 2:1: the key holds control character U+0001, which is not allowed in a rules file
            """)
    void controlCharactersAreRefusedWhereTheyAre(String yaml, String expected) {
        // Raw: NUL, BEL, ESC after CRLF, DEL after a lone CR. Escaped inside double quotes: \0 and \x01.
        assertThat(RulesErrorTest.error(unescape(yaml))).isEqualTo("migrations/a.yaml:" + expected);
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && text.charAt(i + 1) == 'u') {
                out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                i += 5;
            } else if (c == '\\' && text.charAt(i + 1) != '\\') {
                out.append(switch (text.charAt(++i)) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> throw new IllegalArgumentException(text);
                });
            } else if (c == '\\') {
                out.append('\\');
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedBeforeYamlScansIt() {
        String yaml = "id: m1\ndescription: " + "x".repeat(Limits.LINE_CHARS) + "\n" + VALID.substring(7);

        assertThat(RulesErrorTest.error(yaml)).isEqualTo("migrations/a.yaml:2:16385: line 2 is longer than 16384 characters,"
                + " the most a rules file allows on one line");
    }

    @Test
    void aLongValueOrKeyIsRefusedAtItsStart() {
        // Folded over lines within the line limit, a value or an explicit key ("? ") can be longer; its own limit is checked at once.
        // 415 lines of 78 characters, folded: 414 spaces between them and a final line break.
        String folded = ("      " + "y".repeat(78) + "\n").repeat(Limits.VALUE_CHARS / 79 + 1);
        assertThat(RulesErrorTest.error(VALID + "postconditions:\n  - sql: >\n" + folded))
                .isEqualTo("migrations/a.yaml:5:10: a value of 32785 characters; a rules file allows at most 32768");
        assertThat(RulesErrorTest.error("id: m1\n? >\n" + folded + ": 1\n"))
                .isEqualTo("migrations/a.yaml:2:3: a key of 32785 characters; a rules file allows at most 32768");
    }

    @Test
    void tooManyTokensAreRefusedWhileParsing() {
        String yaml = "id: m1\nsteps:\n" + "  - [a, b, c, d, e, f, g, h, i, j]\n".repeat(5000);

        assertThat(RulesErrorTest.error(yaml)).startsWith("migrations/a.yaml:").contains(": too large for a rules file: Token count (50001)"
                + " exceeds the maximum allowed (50000)");
    }

    @Test
    void tooManyStepsOrChecksAreRefusedAtTheirList() {
        String steps = "  - dedupe: {table: t, key: a}\n".repeat(Limits.STEPS + 1);
        assertThat(RulesErrorTest.error("id: m1\nsteps:\n" + steps)).isEqualTo(
                "migrations/a.yaml:3:3: steps: 51 items; a migration may have at most 50: split it into several rules files");

        String checks = "  - {sql: SELECT 1, expect: 1}\n".repeat(Limits.CHECKS + 1);
        assertThat(RulesErrorTest.error(VALID + "postconditions:\n" + checks)).isEqualTo(
                "migrations/a.yaml:5:3: postconditions: 51 items; a migration may have at most 50: split it into several rules files");
        assertThat(Rules.parse(EXTENSIONS, VALID + "preconditions:\n" + checks.substring(checks.indexOf('\n') + 1), "a.yaml")
                .preconditions()).hasSize(Limits.CHECKS);
    }

    /** The history keeps a description of any length a value may have. */
    @Test
    void aLongDescriptionIsKept() {
        assertThat(Rules.parse(EXTENSIONS, VALID + "description: " + "d".repeat(3000) + "\n", "a.yaml").description()).hasSize(3000);
    }
}
