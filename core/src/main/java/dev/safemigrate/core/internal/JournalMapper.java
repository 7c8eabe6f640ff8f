package dev.safemigrate.core.internal;

import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.spi.JournalEntry;
import dev.safemigrate.core.spi.JournalKind;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/**
 * Reads and writes the history and journal tables; SQL in {@code JournalMapper.xml}, portable DML only (each
 * dialect creates the tables, {@code Dialect.bookkeepingTables}).
 */
interface JournalMapper {
    List<HistoryEntry> history();

    HistoryEntry historyById(@Param("id") String id);

    void insertHistory(HistoryEntry entry);

    void updateHistory(HistoryEntry entry);

    void deleteHistory(@Param("id") String id);

    void insertEntry(JournalEntry entry);

    List<JournalEntry> entries(@Param("migrationId") String migrationId);

    int lastSeq(@Param("migrationId") String migrationId);

    void deleteEntries(@Param("migrationId") String migrationId, @Param("kind") JournalKind kind);
}
