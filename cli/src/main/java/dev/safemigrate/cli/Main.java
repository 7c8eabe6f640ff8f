package dev.safemigrate.cli;

import dev.safemigrate.core.RunListener;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code safemigrate} command. Subcommands parse their options and call the library; failures
 * become exit codes in {@link Failures}. Tests run {@code new CommandLine(new Main()).execute(...)}.
 */
@Command(name = "safemigrate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runs destructive data migrations (deduplicate, then add a unique constraint) so that they finish"
                + " completely or leave the database as it was, and never lose a row.",
        subcommands = {PlanCommand.class, MigrateCommand.class, VerifyCommand.class, StatusCommand.class, UndoCommand.class, RecoverCommand.class,
                DemoCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done (or nothing to do)",
                "1:the migration failed and the database is as it was before the run",
                "2:bad usage or invalid rules file; the database was not touched",
                "3:refused by a precondition, guard or name clash before any change",
                "4:verify: an invariant does not hold",
                "5:the database is in an intermediate state; the message says what `recover` will do",
                "6:another run holds the migration lock and the lock timeout passed"})
public final class Main implements Runnable {
    private final Map<String, String> env;
    private final RunListener listener;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public Main() {
        this(System.getenv());
    }

    /** With a given environment instead of the process's (for tests). */
    public Main(Map<String, String> env) {
        this(env, RunListener.NONE);
    }

    /** With a listener that hears every run besides the progress output: for tests' mains that stop a run at a phase. */
    Main(Map<String, String> env, RunListener listener) {
        this.env = Map.copyOf(env);
        this.listener = listener;
    }

    public static void main(String[] args) {
        System.exit(commandLine(new Main()).execute(args));
    }

    /**
     * The command line of {@code main}. No execution exception handler: every command's {@link CliCommand#call} maps any
     * RuntimeException itself, and this command only throws picocli's ParameterException, which picocli reports as bad usage.
     */
    public static CommandLine commandLine(Main main) {
        return new CommandLine(main);
    }

    /** The environment variable {@code name}, or null. */
    String env(String name) {
        return env.get(name);
    }

    /** The environment of the command that {@code spec} belongs to (its root is a {@link Main}). */
    static String env(CommandLine.Model.CommandSpec spec, String name) {
        Object root = spec.root().userObject();
        return root instanceof Main main ? main.env(name) : System.getenv(name);
    }

    /** The listener the root {@link Main} of {@code spec}'s command was made with. */
    static RunListener listener(CommandLine.Model.CommandSpec spec) {
        return spec.root().userObject() instanceof Main main ? main.listener : RunListener.NONE;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: plan, migrate, verify, status, undo, recover or demo");
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"safemigrate " + (version == null ? "(development build)" : version)};
        }
    }
}
