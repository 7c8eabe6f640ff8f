package dev.safemigrate.core;

/** The exit codes of the specification; every {@link SafeMigrateException} carries one. */
public enum ExitCode {
    /** Done, or nothing to do. */
    DONE(0, "done (or nothing to do)"),
    /** The migration failed and the database is as it was before the run. */
    FAILED_RESTORED(1, "the migration failed and the database is as it was before the run"),
    /** Bad usage or invalid rules file; the database was not touched. */
    INVALID(2, "bad usage or invalid rules file; the database was not touched"),
    /** Refused by a precondition, guard or name clash before any change. */
    REFUSED(3, "refused by a precondition, guard or name clash before any change"),
    /** {@code verify}: an invariant does not hold. */
    VIOLATED(4, "an invariant does not hold"),
    /** The database is in an intermediate state that {@code recover} must repair. */
    INTERMEDIATE(5, "the database is in an intermediate state; the message says what `recover` will do"),
    /** Another run holds the migration lock and the lock timeout passed. */
    LOCKED(6, "another run holds the migration lock and the lock timeout passed");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }

    /** What the code tells about the database, in the words of the specification's table. */
    public String meaning() {
        return meaning;
    }
}
