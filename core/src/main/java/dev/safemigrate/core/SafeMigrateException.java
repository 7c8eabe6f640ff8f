package dev.safemigrate.core;

/** Every failure safemigrate reports: a plain-words message and the exit code that goes with it. */
public class SafeMigrateException extends RuntimeException {
    private final ExitCode exitCode;

    public SafeMigrateException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public SafeMigrateException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** Bad input: the database was not touched. */
    public static SafeMigrateException invalid(String message) {
        return new SafeMigrateException(ExitCode.INVALID, message);
    }

    /** A guard, precondition or name clash refused the migration before any change. */
    public static SafeMigrateException refused(String message) {
        return new SafeMigrateException(ExitCode.REFUSED, message);
    }
}
