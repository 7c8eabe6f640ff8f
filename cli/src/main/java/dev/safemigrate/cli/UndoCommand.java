package dev.safemigrate.cli;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.UndoReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "undo", description = "Restore what migration ID deleted or changed, from its archive, and drop what it created."
        + " Refused (exit 3) if rows inserted since would collide with restored rows, if a later migration changed the same tables,"
        + " or if rows it changed were changed again since.")
final class UndoCommand extends CliCommand {
    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "ID", description = "The id of an applied migration.")
    String id;

    @Option(names = "--force", description = "Undo even though a later migration changed the same tables or rows it changed were"
            + " changed again: those rows get the values the migration found back. Rows whose key was taken since still refuse it.")
    boolean force;

    @Override
    protected int execute() {
        if (id.isBlank()) {
            throw SafeMigrateException.invalid("ID is empty: give the id of an applied migration (`safemigrate status` lists them)");
        }
        UndoReport report = connection.safeMigrate(extensions(), listener()).undo(id, force);
        say(report.id() + ": undone: " + Text.rows(report.rowsRestored(), "row") + " and value(s) restored from the archive, "
                + report.objectsDropped() + " object(s) dropped");
        report.notes().forEach(this::note);
        return finish(Json.object().put("id", report.id()).put("rows_restored", report.rowsRestored())
                .put("objects_dropped", report.objectsDropped()).set("notes", Json.strings(report.notes())), 0);
    }
}
