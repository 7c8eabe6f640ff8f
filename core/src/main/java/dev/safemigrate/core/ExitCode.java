package dev.safemigrate.core;

/** The exit codes of the specification; every {@link SafeMigrateException} carries one. */
public enum ExitCode {
    /** Done, or nothing to do. */
    DONE(0),
    /** The migration failed and the database is as it was before the run. */
    FAILED_RESTORED(1),
    /** Bad usage or invalid rules file; the database was not touched. */
    INVALID(2),
    /** Refused by a precondition, guard or name clash before any change. */
    REFUSED(3),
    /** {@code verify}: an invariant does not hold. */
    VIOLATED(4),
    /** The database is in an intermediate state that {@code recover} must repair. */
    INTERMEDIATE(5),
    /** Another run holds the migration lock and the lock timeout passed. */
    LOCKED(6);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }
}
