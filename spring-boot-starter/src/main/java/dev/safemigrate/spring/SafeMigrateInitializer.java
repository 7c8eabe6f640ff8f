package dev.safemigrate.spring;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Applies the pending rules files when the bean is initialized, so that a failed migration fails the
 * start-up with its message (and its exit code, on the {@link SafeMigrateException}); what the message
 * says about the data holds, since safemigrate restored it before throwing.
 */
public class SafeMigrateInitializer implements InitializingBean {
    private static final Log LOG = LogFactory.getLog(SafeMigrateInitializer.class);

    private final SafeMigrate safeMigrate;
    private final RulesLocations locations;

    public SafeMigrateInitializer(SafeMigrate safeMigrate, RulesLocations locations) {
        this.safeMigrate = safeMigrate;
        this.locations = locations;
    }

    @Override
    public void afterPropertiesSet() {
        List<Migration> migrations = locations.load();
        if (migrations.isEmpty()) {
            LOG.info("safemigrate: no rules files in " + locations);
            return;
        }
        try {
            MigrationReport report = safeMigrate.migrate(migrations);
            report.recovered().forEach(line -> LOG.warn("safemigrate: recovered an interrupted run: " + line));
            report.migrations().forEach(result -> LOG.info("safemigrate: " + result.id() + " " + result.outcome().replace('_', ' ')));
        } catch (SafeMigrateException e) {
            throw new SafeMigrateException(e.exitCode(), "safemigrate could not migrate at start-up (exit " + e.exitCode().code() + ": "
                    + e.exitCode().meaning() + "): " + e.getMessage(), e);
        }
    }
}
