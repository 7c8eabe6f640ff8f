package dev.safemigrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safemigrate.rules.Rules;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --json}: exactly one document on stdout, with the fields JSON.md promises. */
class JsonOutputTest {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @TempDir
    Path tmp;

    Fixture db;
    Path rules;

    @BeforeEach
    void seed() throws Exception {
        db = new Fixture(tmp).seeded();
        rules = db.rules();
    }

    private JsonNode json(int expectedExit, String... args) throws Exception {
        Fixture.Result result = db.run(args);
        assertThat(result.code()).as(result.toString()).isEqualTo(expectedExit);
        JsonNode document = MAPPER.readTree(result.out());
        assertThat(document.path("command").asText()).isEqualTo(args[0]);
        assertThat(document.path("exit_code").asInt()).isEqualTo(expectedExit);
        return document;
    }

    @Test
    void plan() throws Exception {
        JsonNode plan = json(0, "plan", "--json", rules.toString());
        JsonNode migration = plan.path("migrations").get(0);
        assertThat(migration.path("id").asText()).isEqualTo("a5_006_action_invariants_unique");
        assertThat(migration.path("status").asText()).isEqualTo("pending");
        assertThat(migration.path("strategy").asText()).isEqualTo("compensating");
        JsonNode dedupe = migration.path("steps").get(0);
        assertThat(dedupe.path("number").asInt()).isEqualTo(1);
        assertThat(dedupe.path("type").asText()).isEqualTo("dedupe");
        assertThat(dedupe.path("kind").asText()).isEqualTo("dml");
        assertThat(dedupe.path("rows_to_delete").asLong()).isEqualTo(3);
        assertThat(dedupe.path("rows_to_update").asLong()).isEqualTo(3);
        assertThat(dedupe.path("table_rows").asLong()).isEqualTo(7);
        assertThat(dedupe.path("sample_keys").toString()).contains("(a, 0) x2");
        assertThat(migration.path("steps").get(1).path("kind").asText()).isEqualTo("ddl");
    }

    @Test
    void planSqlGivesTheStatementsAsAnArray() throws Exception {
        JsonNode statements = json(0, "plan", "--sql", "--json", rules.toString()).path("migrations").get(0).path("statements");
        List<String> texts = new java.util.ArrayList<>();
        statements.forEach(s -> texts.add(s.asText()));
        assertThat(texts).contains("BEGIN;", "COMMIT;").anySatisfy(s -> assertThat(s).startsWith("DELETE FROM \"ACTION_INVARIANTS\""))
                .anySatisfy(s -> assertThat(s).startsWith("ALTER TABLE \"ACTION_INVARIANTS\" ADD CONSTRAINT"));
        assertThat(json(0, "plan", "--json", rules.toString()).path("migrations").get(0).has("statements")).isFalse();
    }

    @Test
    void migrateThenStatus() throws Exception {
        JsonNode migrate = json(0, "migrate", "--json", rules.toString());
        JsonNode result = migrate.path("migrations").get(0);
        assertThat(result.path("outcome").asText()).isEqualTo("applied");
        assertThat(result.path("elapsed_ms").isNumber()).isTrue();
        JsonNode dedupe = result.path("steps").get(0);
        assertThat(dedupe.path("deleted").asLong()).isEqualTo(3);
        assertThat(dedupe.path("updated").asLong()).isEqualTo(3);
        assertThat(dedupe.path("archived").asLong()).isEqualTo(6);

        JsonNode again = json(0, "migrate", "--json", rules.toString());
        assertThat(again.path("migrations").get(0).path("outcome").asText()).isEqualTo("already_applied");

        JsonNode status = json(0, "status", "--json", rules.toString());
        JsonNode entry = status.path("history").get(0);
        assertThat(entry.path("id").asText()).isEqualTo("a5_006_action_invariants_unique");
        assertThat(entry.path("status").asText()).isEqualTo("applied");
        assertThat(entry.path("dialect").asText()).isEqualTo("h2");
        assertThat(entry.path("started_at").asText()).isNotEmpty();
        assertThat(entry.path("step_counts").get(0).path("deleted").asLong()).isEqualTo(3);
        assertThat(status.path("pending")).isEmpty();
        assertThat(status.path("changed").isArray()).isTrue();
        assertThat(status.path("changed")).isEmpty();
    }

    @Test
    void statusWithAnEditedFileIsTheWholeStatusPlusChangedAndTheError() throws Exception {
        json(0, "migrate", "--json", rules.toString());
        String applied = Rules.load(rules).get(0).checksum();
        db.write(rules.getFileName().toString(), Fixture.RULES.formatted("").replace("Deduplicate action", "Deduplicate all action"));
        String edited = Rules.load(rules).get(0).checksum();

        JsonNode status = json(2, "status", "--json", rules.toString());

        assertThat(status.path("history").get(0).path("status").asText()).isEqualTo("applied");
        assertThat(status.path("history").get(0).path("checksum").asText()).isEqualTo(applied);
        assertThat(status.path("pending")).isEmpty();
        JsonNode changed = status.path("changed").get(0);
        assertThat(changed.path("id").asText()).isEqualTo("a5_006_action_invariants_unique");
        assertThat(changed.path("source").asText()).isEqualTo(rules.toString());
        assertThat(changed.path("checksum").asText()).isEqualTo(edited);
        assertThat(changed.path("history_checksum").asText()).isEqualTo(applied);
        assertThat(status.path("changed")).hasSize(1);
        assertThat(status.path("error").path("kind").asText()).isEqualTo("invalid");
        assertThat(status.path("error").path("message").asText()).startsWith("1 applied migration changed since applied: a5_006");
    }

    @Test
    void verifyViolations() throws Exception {
        JsonNode verify = json(4, "verify", "--json", rules.toString());
        assertThat(verify.path("holds").asBoolean()).isFalse();
        assertThat(verify.path("violations").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode failed = null;
        for (JsonNode check : verify.path("checks")) {
            if (!check.path("holds").asBoolean()) {
                failed = check;
                break;
            }
        }
        assertThat(failed).isNotNull();
        assertThat(failed.path("migration_id").asText()).isEqualTo("a5_006_action_invariants_unique");
        assertThat(failed.path("check").asText()).contains("no duplicates");
        assertThat(failed.path("count").asLong()).isEqualTo(3);
        assertThat(failed.path("samples").toString()).contains("(a, 0) x2");
    }

    @Test
    void failureIsStillOneDocumentWithTheError() throws Exception {
        JsonNode refused = json(3, "migrate", "--json", db.rules("guards:\n  max_delete_fraction: 0.1").toString());
        assertThat(refused.path("error").path("kind").asText()).isEqualTo("refused");
        assertThat(refused.path("error").path("message").asText()).contains("max_delete_fraction");
    }

    @Test
    void recover() throws Exception {
        JsonNode recover = json(0, "recover", "--json");
        assertThat(recover.path("actions").isArray()).isTrue();
    }
}
