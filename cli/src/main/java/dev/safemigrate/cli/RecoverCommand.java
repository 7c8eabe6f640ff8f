package dev.safemigrate.cli;

import dev.safemigrate.core.SafeMigrate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "recover", description = "Finish or roll back a run that was interrupted (migrate also does this first).")
final class RecoverCommand extends CliCommand {
    @Mixin
    ConnectionOptions connection;

    @Option(names = "--abandon", paramLabel = "ID", description = "Give up the interrupted run of migration ID when recover can neither"
            + " finish nor reverse it: the data stays as it is, the history says failed, and its archive tables are kept.")
    String abandon;

    @Override
    protected int execute() {
        SafeMigrate safeMigrate = connection.safeMigrate(extensions(), listener());
        List<String> actions = abandon != null ? List.of(safeMigrate.abandon(abandon)) : safeMigrate.recover();
        say(actions.isEmpty() ? "nothing to recover: no interrupted run" : String.join("\n", actions));
        return finish(Json.object().set("actions", Json.strings(actions)), 0);
    }
}
