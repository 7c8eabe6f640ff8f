package dev.safemigrate.maven;

import org.apache.maven.plugins.annotations.Mojo;

/** Checks the invariants the rules files declare against the live data; read-only. An invariant that does not hold fails the build (exit code 4). */
@Mojo(name = "verify", requiresProject = false, threadSafe = true)
public class VerifyMojo extends SafeMigrateMojo {
    public VerifyMojo() {
        super("verify");
    }
}
