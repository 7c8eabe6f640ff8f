package dev.safemigrate.spring;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.rules.Rules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternUtils;

/**
 * The rules files of {@code safemigrate.locations}, read as Spring resources (so files inside a jar load
 * as well as files on disk) and parsed from their text, in natural order of id as the CLI orders them.
 * A location that does not exist holds no files.
 */
public final class RulesLocations {
    private final ResourcePatternResolver resolver;
    private final Extensions extensions;
    private final List<String> locations;

    public RulesLocations(ResourceLoader loader, Extensions extensions, List<String> locations) {
        this.resolver = ResourcePatternUtils.getResourcePatternResolver(loader);
        this.extensions = extensions;
        this.locations = List.copyOf(locations);
    }

    /** Every migration in the locations; two files with one id are an error (exit 2), as for the CLI. */
    public List<Migration> load() {
        return Rules.inOrder(resources().stream().map(r -> Rules.parse(extensions, text(r), r.getDescription())).toList());
    }

    private List<Resource> resources() {
        List<Resource> found = new ArrayList<>();
        for (String location : locations) {
            List<String> patterns = location.endsWith(".yaml") || location.endsWith(".yml") ? List.of(location)
                    : List.of(location + "/*.yaml", location + "/*.yml");
            for (String pattern : patterns) {
                try {
                    for (Resource resource : resolver.getResources(pattern)) {
                        if (resource.exists()) {
                            found.add(resource);
                        }
                    }
                } catch (IOException e) {
                    throw new SafeMigrateException(ExitCode.INVALID, pattern + ": cannot list the rules files: " + e.getMessage(), e);
                }
            }
        }
        return found;
    }

    private static String text(Resource resource) {
        try {
            return resource.getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SafeMigrateException(ExitCode.INVALID, resource.getDescription() + ": cannot read the rules file: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return String.join(", ", locations);
    }
}
