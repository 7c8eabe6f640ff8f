package dev.safemigrate.cli;

import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.StatusReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "Show the history table: applied, rolled back, failed and in-progress runs;"
        + " with rules files, also which of them are pending, and which were changed since they were applied (then exit 2).")
final class StatusCommand extends CliCommand {
    @Mixin
    ConnectionOptions connection;

    @Parameters(arity = "0..*", paramLabel = "FILE|DIR", description = "Optional rules files or directories, to list the pending and changed ones.")
    List<Path> paths = new ArrayList<>();

    @Override
    protected int execute() {
        StatusReport status = connection.safeMigrate(extensions(), RunListener.NONE).status(load(paths));
        say(TextReports.status(status, !paths.isEmpty()));
        if (status.changed().isEmpty()) {
            return finish(JsonReports.status(status), 0);
        }
        // The whole status is shown first; then the same refusal migrate would give, for every edited file at once.
        List<String> edits = status.changed().stream().map(c -> c.id() + " (" + c.source() + "): its checksum is " + c.checksum()
                + ", the history has " + c.historyChecksum()).toList();
        SafeMigrateException edited = SafeMigrateException.invalid(Text.rows(edits.size(), "applied migration") + " changed since applied: "
                + String.join("; ", edits) + ". Applied migrations must not be edited (migrate and plan refuse them):"
                + " put the file back as it was and write a new migration instead");
        return Failures.report(spec.name(), output.json, out(), err(), edited, JsonReports.status(status));
    }
}
