package dev.safemigrate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.model.AllowedTrigger;
import dev.safemigrate.core.model.Expectation;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.SqlCheck;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.steps.Repoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RulesParseTest {
    private static final Extensions EXTENSIONS = TestSteps.extensions();

    static String specExample() throws IOException {
        try (InputStream in = RulesParseTest.class.getResourceAsStream("/spec-example.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Migration parse(String yaml) {
        return Rules.parse(EXTENSIONS, yaml, "a.yaml");
    }

    @Test
    void specExampleParsesIntoTheModel() throws IOException {
        Migration migration = Rules.parse(EXTENSIONS, specExample(), "migrations/spec-example.yaml");

        assertThat(migration.id()).isEqualTo("a5_006_action_invariants_unique");
        assertThat(migration.description()).isEqualTo("Deduplicate action invariants and arguments, then add unique constraints");
        assertThat(migration.source()).isEqualTo("migrations/spec-example.yaml");
        assertThat(migration.checksum()).matches("[0-9a-f]{64}");
        assertThat(migration.guards()).isEqualTo(new Guards(0.5));
        assertThat(migration.steps()).hasSize(3);
        assertThat(migration.steps().get(0)).isEqualTo(new DedupeStep(TableName.parse("action_invariants"),
                List.of("action_name", "position"), List.of(OrderItem.asc("id")), NullsMode.DISTINCT, true,
                List.of(new Repoint(TableName.parse("invariant_checks"), "invariant_id", Repoint.OnConflict.FAIL))));
        assertThat(migration.steps().get(1).type()).isEqualTo("resequence");
        if (migration.steps().get(1) instanceof TestSteps.Resequence resequence) {
            assertThat(resequence).isEqualTo(new TestSteps.Resequence("action_arguments", "position",
                    List.of("action_name"), List.of("position", "id"), "0"));
        }
        assertThat(migration.steps().get(2)).isEqualTo(new AddUniqueStep(TableName.parse("action_invariants"),
                "uq_action_invariants_action_position", List.of("action_name", "position"), null));
        assertThat(migration.preconditions()).containsExactly(new SqlCheck(
                "SELECT count(*) FROM action_invariants WHERE action_name = ''", Expectation.exactly(0),
                "migrations/spec-example.yaml:35:5"));
        assertThat(migration.postconditions()).containsExactly(new SqlCheck(
                "SELECT count(*) FROM invariant_checks c LEFT JOIN action_invariants a ON a.id = c.invariant_id WHERE a.id IS NULL",
                Expectation.exactly(0), "migrations/spec-example.yaml:38:5"));
    }

    @Test
    void optionalFieldsTakeTheirDefaults() {
        Migration migration = parse("id: m1\nsteps:\n  - dedupe: {table: t, key: a}\n");

        assertThat(migration.description()).isEmpty();
        assertThat(migration.guards()).isEqualTo(Guards.DEFAULT);
        assertThat(migration.preconditions()).isEmpty();
        assertThat(migration.postconditions()).isEmpty();
        assertThat(migration.steps()).containsExactly(new DedupeStep(TableName.parse("t"), List.of("a"), List.of(),
                NullsMode.DISTINCT, true, List.of()));
    }

    @Test
    void everyDedupeAndAddUniqueOptionIsRead() {
        Migration migration = parse("""
                id: m1
                description:
                guards: {max_delete_fraction: 1}
                steps:
                  - dedupe:
                      table: app.person
                      key: [name, instance_id]
                      keep: {order_by: [updated_at DESC, id]}
                      nulls: equal
                      archive: false
                      repoint:
                        - {table: post, column: creator_id, on_conflict: delete}
                      strategy: shadow_swap
                  - add_unique: {table: app.person, name: uq_person, columns: [name, instance_id], nulls: equal}
                """);

        assertThat(migration.description()).isEmpty();
        assertThat(migration.guards().maxDeleteFraction()).isEqualTo(1.0);
        assertThat(migration.steps()).containsExactly(
                new DedupeStep(new TableName(Optional.of("app"), "person"), List.of("name", "instance_id"),
                        List.of(new OrderItem("updated_at", true), OrderItem.asc("id")), NullsMode.EQUAL, false,
                        List.of(new Repoint(TableName.parse("post"), "creator_id", Repoint.OnConflict.DELETE)), true),
                new AddUniqueStep(new TableName(Optional.of("app"), "person"), "uq_person", List.of("name", "instance_id"),
                        NullsMode.EQUAL));
    }

    @Test
    void expectationsTakeANumberOrARange() {
        Migration migration = parse("""
                id: m1
                steps: [{dedupe: {table: t, key: a}}]
                preconditions:
                  - {sql: SELECT 1, expect: 3}
                  - {sql: SELECT 1, expect: {min: 1}}
                  - {sql: 'WITH x AS (SELECT 1 AS n) SELECT n FROM x;', expect: {max: 5}}
                  - sql: SELECT 1
                    expect: {min: 1, max: 3}
                """);

        assertThat(migration.preconditions()).extracting(SqlCheck::expect).containsExactly(
                Expectation.exactly(3),
                new Expectation(OptionalLong.empty(), OptionalLong.of(1), OptionalLong.empty()),
                new Expectation(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.of(5)),
                new Expectation(OptionalLong.empty(), OptionalLong.of(1), OptionalLong.of(3)));
        assertThat(migration.preconditions().get(2).sql()).isEqualTo("WITH x AS (SELECT 1 AS n) SELECT n FROM x");
        assertThat(migration.preconditions()).extracting(SqlCheck::location)
                .containsExactly("a.yaml:4:5", "a.yaml:5:5", "a.yaml:6:5", "a.yaml:7:5");
    }

    @Test
    void scalarsThatYamlTypesAsNumbersOrBooleansAreTakenAsWritten() {
        Migration migration = parse("id: 20250101\nsteps: [{add_unique: {table: t, name: on, columns: [a]}}]\n");

        assertThat(migration.id()).isEqualTo("20250101");
        assertThat(((AddUniqueStep) migration.steps().get(0)).name()).isEqualTo("on");
    }

    @Test
    void allowedTriggersAreReadWithTheirStatedEffect() {
        Migration migration = parse("""
                id: m1
                steps: [{dedupe: {table: t, key: a}}]
                allow_triggers:
                  - {name: audit_delete, table: app.t, effect: writes one audit row per deleted row}
                  - name: touch_updated_at
                    effect: sets updated_at on repointed rows
                """);

        assertThat(migration.allowedTriggers()).containsExactly(
                new AllowedTrigger("audit_delete", Optional.of("app.t"), "writes one audit row per deleted row"),
                new AllowedTrigger("touch_updated_at", Optional.empty(), "sets updated_at on repointed rows"));
    }

    @Test
    void orderByTakesAnExplicitDirectionInEitherCase() {
        Migration migration = parse("id: m1\nsteps: [{dedupe: {table: t, key: [a], keep: {order_by: [position asc, id DESC]}}}]\n");

        assertThat(((DedupeStep) migration.steps().get(0)).orderBy()).containsExactly(OrderItem.asc("position"), new OrderItem("id", true));
    }
}
