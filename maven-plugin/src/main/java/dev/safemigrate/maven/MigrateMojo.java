package dev.safemigrate.maven;

import org.apache.maven.plugins.annotations.Mojo;

/** Applies the pending migrations, in order of id; each finishes completely or leaves the database as it was. */
@Mojo(name = "migrate", requiresProject = false, threadSafe = true)
public class MigrateMojo extends SafeMigrateMojo {
    public MigrateMojo() {
        super("migrate");
    }
}
