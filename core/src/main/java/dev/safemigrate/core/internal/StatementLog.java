package dev.safemigrate.core.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * What a dry run of {@code migrate} ({@code plan --sql}) would have executed, in order: the statements, the
 * transaction boundaries, and the bookkeeping rows it would write. {@link #paragraphs} formats it for review:
 * one statement per paragraph ending in {@code ;}, bookkeeping and autocommit as {@code --} comments.
 */
final class StatementLog {
    private enum Kind { STATEMENT, AUTOCOMMIT_STATEMENT, BOUNDARY, NOTE }

    private record Entry(Kind kind, String text) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private boolean autoCommit = true;
    private boolean inTransaction;
    private boolean stopped;

    /** The connection's autocommit was switched: off begins a transaction, on commits the open one (as JDBC does). */
    void autoCommit(boolean on) {
        if (!on && autoCommit) {
            begin();
        } else if (on && inTransaction) {
            end(true);
        }
        autoCommit = on;
    }

    /** COMMIT or ROLLBACK; with autocommit off, the next statement begins the next transaction. */
    void end(boolean commit) {
        if (inTransaction) {
            inTransaction = false;
            add(Kind.BOUNDARY, commit ? "COMMIT" : "ROLLBACK");
        }
    }

    /**
     * Ends the log where the dry run could not follow the real run (a failure, or work it cannot do dry): what
     * the run would do after that is not known, so nothing more is logged.
     */
    void stop(String why) {
        if (!stopped) {
            note("the dry run stopped here, so what migrate would run from here on is not shown: " + why);
            stopped = true;
        }
    }

    private void begin() {
        inTransaction = true;
        add(Kind.BOUNDARY, "BEGIN");
    }

    /** A statement the run would execute. */
    void statement(String sql) {
        if (!autoCommit && !inTransaction) {
            begin();
        }
        add(inTransaction ? Kind.STATEMENT : Kind.AUTOCOMMIT_STATEMENT, sql.strip());
    }

    /** A history or journal row the run would write (through the bookkeeping tables, not shown as SQL). */
    void note(String text) {
        add(Kind.NOTE, text);
    }

    private void add(Kind kind, String text) {
        if (!stopped) {
            entries.add(new Entry(kind, text));
        }
    }

    /**
     * The log for review: each statement a paragraph ending in {@code ;}; a run of statements outside a transaction
     * (notes between them do not break it) is preceded by a comment saying each commits on its own; consecutive
     * bookkeeping notes form one comment paragraph.
     */
    List<String> paragraphs() {
        List<String> out = new ArrayList<>();
        Kind previous = null;
        Kind previousStatement = null;
        for (Entry entry : entries) {
            switch (entry.kind()) {
                case NOTE -> {
                    String line = "-- " + entry.text();
                    if (previous == Kind.NOTE) {
                        out.set(out.size() - 1, out.get(out.size() - 1) + "\n" + line);
                    } else {
                        out.add(line);
                    }
                }
                case AUTOCOMMIT_STATEMENT -> {
                    if (previousStatement != Kind.AUTOCOMMIT_STATEMENT) {
                        out.add("-- outside a transaction (autocommit): each statement below takes effect, and commits, on its own");
                    }
                    out.add(entry.text() + ";");
                }
                default -> out.add(entry.text() + ";");
            }
            previous = entry.kind();
            if (entry.kind() != Kind.NOTE) {
                previousStatement = entry.kind();
            }
        }
        return out;
    }
}
