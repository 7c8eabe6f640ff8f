package dev.safemigrate.rules;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.spi.StepKind;
import dev.safemigrate.core.spi.TableWrite;
import dev.safemigrate.core.spi.StepModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;

/**
 * Step types added the way a user's jar adds them (a {@link StepModule} found by {@code ServiceLoader}):
 * a stand-in for the spec's {@code resequence} while core has none, and one that fails without a location.
 */
final class TestSteps {
    private static final String SERVICES = "META-INF/services/" + StepModule.class.getName();

    private TestSteps() {
    }

    /** Core's step types plus the test ones. */
    static Extensions extensions() {
        List<String> modules = new ArrayList<>(List.of(UnlocatedModule.class.getName()));
        if (!Extensions.load().stepTypes().containsKey("resequence")) {
            modules.add(ResequenceModule.class.getName());
        }
        try {
            Path services = Files.createTempFile("step-modules", ".txt");
            services.toFile().deleteOnExit();
            Files.write(services, modules);
            URL extra = services.toUri().toURL();
            return Extensions.load(new ClassLoader(TestSteps.class.getClassLoader()) {
                @Override
                public Enumeration<URL> getResources(String name) throws IOException {
                    List<URL> urls = Collections.list(super.getResources(name));
                    if (name.equals(SERVICES)) {
                        urls.add(extra);
                    }
                    return Collections.enumeration(urls);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers {@link Resequence} as {@code resequence}. */
    public static final class ResequenceModule extends StepModule {
        @Override
        protected void configure() {
            addStepType("resequence").toInstance(args -> {
                args.allowOnly(Set.of("table", "column", "partition_by", "order_by", "start"));
                return new Resequence(args.text("table"), args.text("column"), args.texts("partition_by"),
                        args.texts("order_by"), args.optionalText("start").orElse("1"));
            });
        }
    }

    /** Registers {@code unlocated}, a step type that throws an error it did not make with {@code StepArgs.error}. */
    public static final class UnlocatedModule extends StepModule {
        @Override
        protected void configure() {
            addStepType("unlocated").toInstance(args -> {
                throw SafeMigrateException.invalid("this step type never works");
            });
        }
    }

    /** What a {@code resequence} step was given; it never runs. */
    record Resequence(String table, String column, List<String> partitionBy, List<String> orderBy, String start) implements Step {
        @Override
        public String type() {
            return "resequence";
        }

        @Override
        public String summary() {
            return "resequence " + table + "." + column;
        }

        @Override
        public StepKind kind() {
            return StepKind.DML;
        }

        @Override
        public List<TableWrite> writes() {
            return List.of(TableWrite.updates(TableName.parse(table)));
        }

        @Override
        public void validate(StepContext context) {
        }

        @Override
        public StepEstimate estimate(StepContext context) {
            return StepEstimate.noop("stand-in");
        }
    }
}
