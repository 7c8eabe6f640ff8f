package dev.safemigrate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The one place failures become exit codes: a {@link SafeMigrateException} carries its own; anything
 * else is a bug, reported with its stack trace. The message goes to stderr; with --json stdout also
 * gets a document with {@code error}.
 */
final class Failures {
    private Failures() {
    }

    static int exitCode(Throwable failure) {
        return failure instanceof SafeMigrateException e ? e.exitCode().code() : ExitCode.FAILED_RESTORED.code();
    }

    static int report(String command, boolean json, PrintWriter out, PrintWriter err, Throwable failure) {
        return report(command, json, out, err, failure, Json.object());
    }

    /** As above; with --json, the document also carries {@code findings}, what the command found before it failed. */
    static int report(String command, boolean json, PrintWriter out, PrintWriter err, Throwable failure, ObjectNode findings) {
        int code = exitCode(failure);
        if (failure instanceof SafeMigrateException) {
            err.println("error: " + failure.getMessage());
        } else {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            err.println("error: unexpected " + failure.getClass().getSimpleName() + ": " + failure.getMessage()
                    + " (this is a bug in safemigrate; please report it with the trace below)");
            err.print(trace);
        }
        err.flush();
        if (json) {
            ObjectNode document = Json.object().put("command", command).put("exit_code", code);
            document.setAll(findings);
            document.putObject("error").put("message", String.valueOf(failure.getMessage()))
                    .put("kind", failure instanceof SafeMigrateException e ? e.exitCode().name().toLowerCase(java.util.Locale.ROOT) : "internal");
            Json.print(out, document);
        }
        return code;
    }
}
