package dev.safemigrate.maven;

import org.apache.maven.plugins.annotations.Mojo;

/** The history table, and which of the given rules files are pending. */
@Mojo(name = "status", requiresProject = false, threadSafe = true)
public class StatusMojo extends SafeMigrateMojo {
    public StatusMojo() {
        super("status");
    }
}
