package dev.safemigrate.core.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.HistoryStatus;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.AllowedTrigger;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.Online;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.steps.Repoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The journaled definition of an online run gives back the migration recover finishes: every field the run reads. */
class OnlineDefinitionTest {
    private static final HistoryEntry ENTRY = new HistoryEntry("a5_006", "c0ffee", "dedupe and constrain", HistoryStatus.IN_PROGRESS,
            "online_chunks:3/9", "postgresql", "online", null, null, null, null);

    private static Migration migration(Online online, NullsMode uniqueNulls) {
        DedupeStep dedupe = new DedupeStep(TableName.parse("app.items"), List.of("grp", "k"), List.of(OrderItem.parse("updated_at DESC"),
                OrderItem.asc("id")), NullsMode.EQUAL, false, List.of(new Repoint(TableName.parse("refs"), "item_id", Repoint.OnConflict.FAIL),
                new Repoint(TableName.parse("app.notes"), "item", Repoint.OnConflict.DELETE)));
        AddUniqueStep unique = new AddUniqueStep(TableName.parse("app.items"), "uq_items", List.of("grp", "k"), uniqueNulls);
        return new Migration(ENTRY.id(), ENTRY.description(), ENTRY.checksum(), "a5_006.yaml", new Guards(0.25), List.of(dedupe, unique), List.of(),
                List.of(), List.of(new AllowedTrigger("audit", Optional.of("app.items"), "writes an audit row"),
                new AllowedTrigger("touch", Optional.empty(), "sets updated_at"))).inOnlineMode(online);
    }

    @Test
    void aDefinitionGivesBackTheMigrationItWasWrittenFrom() {
        for (Migration original : List.of(migration(new Online(Duration.ofMillis(150), OptionalLong.of(5_000), Duration.ofMillis(20)), null),
                migration(Online.DEFAULT, NullsMode.DISTINCT))) {
            Migration rebuilt = OnlineDefinition.migration(OnlineDefinition.json(original), ENTRY);

            assertThat(rebuilt.steps()).isEqualTo(original.steps());
            assertThat(rebuilt.online()).isEqualTo(original.online());
            assertThat(rebuilt.guards()).isEqualTo(original.guards());
            assertThat(rebuilt.allowedTriggers()).isEqualTo(original.allowedTriggers());
            assertThat(List.of(rebuilt.id(), rebuilt.description(), rebuilt.checksum())).containsExactly(ENTRY.id(), ENTRY.description(), ENTRY.checksum());
        }
    }

    @Test
    void aDefinitionOfAnotherVersionOrFormIsRefusedNamingTheRun() {
        String json = OnlineDefinition.json(migration(Online.DEFAULT, null));
        assertThatThrownBy(() -> OnlineDefinition.migration(json.replace("\"version\":1", "\"version\":2"), ENTRY))
                .isInstanceOf(SafeMigrateException.class).hasMessageContaining("of a5_006 is of version 2");
        assertThatThrownBy(() -> OnlineDefinition.migration(json.replace("\"type\":\"add_unique\"", "\"type\":\"resequence\""), ENTRY))
                .isInstanceOf(SafeMigrateException.class).hasMessageContaining("has a step of type resequence, which online mode does not run");
        assertThatThrownBy(() -> OnlineDefinition.migration("{\"table\": \"items\"}", ENTRY))
                .isInstanceOf(SafeMigrateException.class).hasMessageContaining("online run of a5_006 cannot be read");
    }
}
