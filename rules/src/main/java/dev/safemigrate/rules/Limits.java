package dev.safemigrate.rules;

/**
 * How much a load reads and how large a rules file may be (the README's "Limits" lists the same).
 * Each bound is checked before the work it protects: sizes before a byte is read, line lengths
 * before YAML sees the text, counts before the items are turned into steps.
 */
final class Limits {
    /** Bytes of one rules file (1 MiB); real ones are a few KiB. */
    static final int FILE_BYTES = 1 << 20;
    /** Rules files in one load, and their bytes together (64 MiB). */
    static final int FILES = 10_000;
    static final long TOTAL_BYTES = 64L << 20;
    /**
     * Characters of one line. SnakeYAML scans a scalar in time and memory quadratic in the length of
     * its line (measured: 1 MiB on one line 5 s, 50 MB over 300 s and 1.7 GB), so long lines are refused
     * before it starts; a 1 MiB file of 16 Ki-character lines parses in about 0.1 s.
     */
    static final int LINE_CHARS = 1 << 14;
    /** Characters of one value or key (written over several lines), a {@code sql:} check included. */
    static final int VALUE_CHARS = 1 << 15;
    /** YAML nesting depth (a rules file needs about 7) and parser tokens of one file. */
    static final int NESTING_DEPTH = 64;
    static final long TOKENS = 50_000;
    /** Steps of one migration, and checks in each of its preconditions and postconditions. */
    static final int STEPS = 50;
    static final int CHECKS = 50;

    private Limits() {
    }
}
