package dev.safemigrate.maven;

import org.apache.maven.plugins.annotations.Mojo;

/** What migrate would do, per step: rows to delete, update and archive, sample keys; changes nothing. */
@Mojo(name = "plan", requiresProject = false, threadSafe = true)
public class PlanMojo extends SafeMigrateMojo {
    public PlanMojo() {
        super("plan");
    }
}
