package dev.safemigrate.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "recover", description = "Finish or roll back a run that was interrupted (migrate also does this first).")
final class RecoverCommand extends CliCommand {
    @Mixin
    ConnectionOptions connection;

    @Override
    protected int execute() {
        List<String> actions = connection.safeMigrate(extensions(), listener()).recover();
        say(actions.isEmpty() ? "nothing to recover: no interrupted run" : String.join("\n", actions));
        return finish(Json.object().set("actions", Json.strings(actions)), 0);
    }
}
