package dev.safemigrate.core.internal;

import dev.safemigrate.core.HistoryEntry;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/** The history and journal tables; SQL in {@code JournalMapper.xml}, with per-database variants where needed. */
interface JournalMapper {
    void createHistoryTable();

    void createJournalTable();

    List<HistoryEntry> history();

    HistoryEntry historyById(@Param("id") String id);

    void insertHistory(HistoryEntry entry);

    void updateHistory(HistoryEntry entry);

    void deleteHistory(@Param("id") String id);

    void insertEntry(JournalEntry entry);

    List<JournalEntry> entries(@Param("migrationId") String migrationId);

    void deleteEntries(@Param("migrationId") String migrationId, @Param("kind") String kind);
}
