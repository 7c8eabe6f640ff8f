package dev.safemigrate.maven;

import dev.safemigrate.cli.Main;
import dev.safemigrate.core.ExitCode;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Driver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import picocli.CommandLine;

/**
 * What every goal shares: the command line's connection and output options as parameters, the run of
 * the command line's command in this JVM, its output in Maven's log, and a failed build, naming the exit
 * code and its meaning, when the command does not exit 0.
 */
abstract class SafeMigrateMojo extends AbstractMojo {
    /** JDBC URL of the database (default: $SAFEMIGRATE_URL, else the command line's embedded H2 database). */
    @Parameter(property = "safemigrate.url")
    String url;

    /** Database user (default: $SAFEMIGRATE_USER). */
    @Parameter(property = "safemigrate.user")
    String user;

    /** Database password (default: $SAFEMIGRATE_PASSWORD); given to the command through its environment, never its arguments. */
    @Parameter(property = "safemigrate.password")
    String password;

    /** Seconds to wait for the migration lock and table locks. */
    @Parameter(property = "safemigrate.lockTimeout", defaultValue = "60")
    long lockTimeout;

    /** Rules files, or directories of *.yaml/*.yml files. */
    @Parameter(property = "safemigrate.locations", defaultValue = "${project.basedir}/src/main/resources/db/safemigrate")
    List<File> locations;

    /** Print the command's JSON document (see the CLI's JSON.md) instead of text. */
    @Parameter(property = "safemigrate.json", defaultValue = "false")
    boolean json;

    /** Skip the goal. */
    @Parameter(property = "safemigrate.skip", defaultValue = "false")
    boolean skip;

    private final String command;

    /** A goal that runs the command line's {@code command}. */
    SafeMigrateMojo(String command) {
        this.command = command;
    }

    @Override
    public void execute() throws MojoFailureException {
        if (skip) {
            getLog().info("safemigrate " + command + ": skipped (safemigrate.skip)");
            return;
        }
        registerDrivers();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(new Main(environment()));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(arguments().toArray(String[]::new));
        out.toString().lines().forEach(getLog()::info);
        if (code == 0) {
            err.toString().lines().forEach(getLog()::warn);
            return;
        }
        err.toString().lines().forEach(getLog()::error);
        throw new MojoFailureException("safemigrate " + command + " failed with exit code " + code + " (" + meaning(code) + "): "
                + err.toString().strip());
    }

    List<String> arguments() {
        List<String> arguments = new ArrayList<>(List.of(command, "--lock-timeout", Long.toString(lockTimeout)));
        if (url != null) {
            arguments.addAll(List.of("--url", url));
        }
        if (user != null) {
            arguments.addAll(List.of("--user", user));
        }
        if (json) {
            arguments.add("--json");
        }
        for (File location : locations == null ? List.<File>of() : locations) {
            // status only lists which rules files are pending: a default location that does not exist is no error there.
            if (!"status".equals(command) || location.exists()) {
                arguments.add(location.getPath());
            }
        }
        return arguments;
    }

    private Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(System.getenv());
        if (password != null) {
            environment.put("SAFEMIGRATE_PASSWORD", password);
        }
        return environment;
    }

    /**
     * JDBC drivers in the plugin's class loader register themselves only once their class is loaded;
     * {@code DriverManager} looked for drivers in Maven's class loader, not here.
     */
    private static void registerDrivers() {
        ServiceLoader.load(Driver.class, SafeMigrateMojo.class.getClassLoader()).forEach(driver -> { });
    }

    static String meaning(int code) {
        return Arrays.stream(ExitCode.values()).filter(c -> c.code() == code).map(ExitCode::meaning).findFirst()
                .orElse("not an exit code of safemigrate");
    }
}
