package dev.safemigrate.cli;

import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.StatusReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "Show the history table: applied, rolled back, failed and in-progress runs;"
        + " with rules files, also which of them are pending.")
final class StatusCommand extends CliCommand {
    @Mixin
    ConnectionOptions connection;

    @Parameters(arity = "0..*", paramLabel = "FILE|DIR", description = "Optional rules files or directories, to list the pending ones.")
    List<Path> paths = new ArrayList<>();

    @Override
    protected int execute() {
        StatusReport status = connection.safeMigrate(extensions(), RunListener.NONE).status(load(paths));
        say(TextReports.status(status, !paths.isEmpty()));
        return finish(JsonReports.status(status), 0);
    }
}
