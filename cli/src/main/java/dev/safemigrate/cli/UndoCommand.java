package dev.safemigrate.cli;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.UndoReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "undo", description = "Restore what migration ID deleted or changed, from its archive, and drop what it created."
        + " Refused (exit 3) if rows inserted since would collide with restored rows.")
final class UndoCommand extends CliCommand {
    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "ID", description = "The id of an applied migration.")
    String id;

    @Override
    protected int execute() {
        if (id.isBlank()) {
            throw SafeMigrateException.invalid("ID is empty: give the id of an applied migration (`safemigrate status` lists them)");
        }
        UndoReport report = connection.safeMigrate(extensions(), listener()).undo(id);
        say(report.id() + ": undone: " + Text.rows(report.rowsRestored(), "row") + " and value(s) restored from the archive, "
                + report.objectsDropped() + " object(s) dropped");
        return finish(Json.object().put("id", report.id()).put("rows_restored", report.rowsRestored())
                .put("objects_dropped", report.objectsDropped()), 0);
    }
}
