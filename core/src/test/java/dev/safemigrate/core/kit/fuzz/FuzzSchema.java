package dev.safemigrate.core.kit.fuzz;

import dev.safemigrate.core.kit.Flavor;
import dev.safemigrate.core.model.AllowedTrigger;
import dev.safemigrate.core.model.Expectation;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.Online;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.SqlCheck;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.steps.Repoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One random schema with random duplicates and the migrations to run on it, drawn from a seed. The deduped
 * table {@code par} has an odd key type or collation, a nullable key column, maybe an identity id, a stored
 * generated column and a self-reference (sometimes with reference cycles); {@code kid1}, {@code kid2} point at it
 * (nullable, cascading, with unique keys that clash after a repoint); {@code tie} is a join table whose primary key holds the repointed column;
 * triggers on {@code par} or {@code kid1} must refuse the run unless allowed. Some migrations are meant to be
 * refused (a missing or wrong repoint, a failing precondition, the guard) or to fail after their data changes
 * (a constraint over duplicates, a failing postcondition). On databases with online mode, half of the
 * migrations it could run are drawn as {@code mode: online} ({@link #onlineShape}).
 */
final class FuzzSchema {
    static final String NOTE_TABLE = "author_note";
    static final String DELETE_TRIGGER = "par_cleanup";

    /** A table of the schema and the columns that order its rows. */
    record Table(String name, String orderBy) {
    }

    final List<String> setup = new ArrayList<>();
    final List<Table> tables = new ArrayList<>();
    final List<Migration> migrations = new ArrayList<>();
    /** Whether the rules allow the trigger that deletes other rows (what it did is never put back). */
    boolean triggerAllowed;
    private final StringBuilder rules = new StringBuilder();
    private final Random random;
    private final Flavor flavor;
    private final int parRows;
    private final List<String> kids = new ArrayList<>();
    private final Set<String> kidsWithSlotKey = new HashSet<>();
    private boolean tie;

    private FuzzSchema(Random random, Flavor flavor) {
        this.random = random;
        this.flavor = flavor;
        int unique = 8 + random.nextInt(25);
        double duplicateShare = chance(0.08) ? 1.1 + random.nextDouble() : random.nextDouble() * 0.8;
        parRows = unique + (int) (unique * duplicateShare);
        createPar(unique);
        int kidTables = random.nextInt(3);
        for (int k = 1; k <= kidTables; k++) {
            createKid("kid" + k);
        }
        if (chance(0.35)) {
            createTie();
        }
        if (chance(0.2)) {
            setup.add("CREATE TABLE " + NOTE_TABLE + " (id INTEGER NOT NULL PRIMARY KEY, author_id INTEGER NOT NULL, text VARCHAR(20))");
            setup.add("INSERT INTO " + NOTE_TABLE + " (id, author_id, text) SELECT id, id, name FROM par");
            setup.addAll(flavor.afterDeleteCascade(DELETE_TRIGGER, "par", NOTE_TABLE, "author_id"));
            tables.add(new Table(NOTE_TABLE, "id"));
            triggerAllowed = chance(0.5);
        }
        if (!kids.isEmpty() && chance(0.08)) {
            setup.addAll(flavor.beforeUpdateBump("kid_touch", "kid1"));
        }
        drawMigrations();
    }

    static FuzzSchema draw(long seed, int index, Flavor flavor) {
        return new FuzzSchema(new Random(seed * 1_000_003L + index), flavor);
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private boolean identity;
    private boolean selfReference;
    private List<String> key;

    /** {@code unique} distinct keys, then duplicates of random earlier keys, some in another case or with a trailing blank. */
    private void createPar(int unique) {
        identity = chance(0.25);
        selfReference = chance(0.4);
        boolean nullableGroup = chance(0.5);
        key = chance(0.4) ? List.of("name") : List.of("name", "grp");
        List<String> columns = new ArrayList<>(List.of(identity ? flavor.identityAlways("id") : "id INTEGER NOT NULL",
                "name " + pick(flavor.oddTextTypes()) + " NOT NULL", "grp INTEGER" + (nullableGroup ? " NULL" : " NOT NULL"),
                "amount DECIMAL(12,4) NULL", "ratio DOUBLE PRECISION NOT NULL", "born DATE NOT NULL", "seen TIMESTAMP NULL",
                "flag BOOLEAN NOT NULL", "bits " + flavor.binaryType() + " NULL"));
        if (chance(0.3)) {
            columns.add(flavor.generatedStored("twice", "INTEGER", "grp * 2"));
        }
        if (selfReference) {
            columns.add("parent_id INTEGER NULL");
        }
        columns.add("PRIMARY KEY (id)");
        if (selfReference) {
            columns.add("CONSTRAINT fk_par_parent FOREIGN KEY (parent_id) REFERENCES par (id)");
        }
        setup.add("CREATE TABLE par (" + String.join(", ", columns) + ")");
        List<String> values = new ArrayList<>();
        List<String[]> keys = new ArrayList<>();
        for (int id = 1; id <= parRows; id++) {
            String[] k = id <= unique ? new String[] {"n" + id, nullableGroup && chance(0.15) ? "NULL" : String.valueOf(id % 4)}
                    : keys.get(random.nextInt(unique));
            keys.add(k);
            String name = id <= unique || chance(0.55) ? k[0] : chance(0.6) ? k[0].toUpperCase() : k[0] + " ";
            String group = id > unique && nullableGroup && chance(0.1) ? "NULL" : k[1];
            values.add("(" + (identity ? "" : id + ", ") + "'" + name + "', " + group + ", " + (chance(0.2) ? "NULL" : random.nextInt(6) + ".2500")
                    + ", " + random.nextInt(1000) + ".5E-1, DATE '2025-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10) + "', "
                    + (chance(0.3) ? "NULL" : "TIMESTAMP '2025-03-0" + (1 + random.nextInt(9)) + " 10:0" + random.nextInt(10) + ":00'") + ", "
                    + (chance(0.5) ? "TRUE" : "FALSE") + ", " + (chance(0.3) ? "NULL" : flavor.binaryLiteral(String.format("%02x%02x", id, random.nextInt(256))))
                    + ")");
        }
        setup.add("INSERT INTO par (" + (identity ? "" : "id, ") + "name, grp, amount, ratio, born, seen, flag, bits) VALUES " + String.join(", ", values));
        if (selfReference) {
            setup.add("UPDATE par SET parent_id = id - 1 WHERE MOD(id, " + (2 + random.nextInt(3)) + ") = 0");
            if (chance(0.5)) {
                // Reference cycles, which no order of inserts puts back row by row: rows at themselves, pairs at each other.
                int every = 5 + random.nextInt(5);
                setup.add("UPDATE par SET parent_id = id WHERE MOD(id, " + every + ") = 1");
                setup.add("UPDATE par SET parent_id = id + 1 WHERE MOD(id, " + every + ") = 2 AND id < " + parRows);
                setup.add("UPDATE par SET parent_id = id - 1 WHERE MOD(id, " + every + ") = 3");
            }
        }
        tables.add(new Table("par", "id"));
    }

    /** Rows pointing at random par rows; a unique (par_id, slot) key makes repointed rows clash. */
    private void createKid(String name) {
        boolean nullable = chance(0.4);
        boolean slotKey = chance(0.5);
        boolean tagKey = slotKey && chance(0.3);
        setup.add("CREATE TABLE " + name + " (id INTEGER NOT NULL PRIMARY KEY, par_id INTEGER" + (nullable ? " NULL" : " NOT NULL")
                + ", slot INTEGER NOT NULL, tag INTEGER NOT NULL, version INTEGER NOT NULL, CONSTRAINT fk_" + name + "_par FOREIGN KEY (par_id)"
                + " REFERENCES par (id)" + (chance(0.3) ? " ON DELETE CASCADE" : "")
                + (slotKey ? ", CONSTRAINT uq_" + name + "_slot UNIQUE (par_id, slot)" : "")
                + (tagKey ? ", CONSTRAINT uq_" + name + "_tag UNIQUE (par_id, tag)" : "") + ")");
        Set<String> taken = new HashSet<>();
        List<String> values = new ArrayList<>();
        int rows = random.nextInt(30);
        for (int id = 1; id <= rows; id++) {
            String parent = nullable && chance(0.1) ? "NULL" : String.valueOf(1 + random.nextInt(parRows));
            int slot = 1 + random.nextInt(3);
            int tag = 1 + random.nextInt(3);
            if ((!slotKey || taken.add(parent + "/s" + slot)) && (!tagKey || taken.add(parent + "/t" + tag))) {
                values.add("(" + id + ", " + parent + ", " + slot + ", " + tag + ", 1)");
            }
        }
        if (!values.isEmpty()) {
            setup.add("INSERT INTO " + name + " (id, par_id, slot, tag, version) VALUES " + String.join(", ", values));
        }
        kids.add(name);
        if (slotKey) {
            kidsWithSlotKey.add(name);
        }
        tables.add(new Table(name, "id"));
    }

    private void createTie() {
        tie = true;
        setup.add("CREATE TABLE oth (id INTEGER NOT NULL PRIMARY KEY, label VARCHAR(10) NOT NULL)");
        setup.add("INSERT INTO oth (id, label) VALUES " + java.util.stream.IntStream.rangeClosed(1, 6).mapToObj(i -> "(" + i + ", 'o" + i + "')")
                .collect(Collectors.joining(", ")));
        setup.add("CREATE TABLE tie (par_id INTEGER NOT NULL, oth_id INTEGER NOT NULL, note VARCHAR(10), PRIMARY KEY (par_id, oth_id),"
                + " CONSTRAINT fk_tie_par FOREIGN KEY (par_id) REFERENCES par (id), CONSTRAINT fk_tie_oth FOREIGN KEY (oth_id) REFERENCES oth (id))");
        Set<String> pairs = new HashSet<>();
        List<String> rows = new ArrayList<>();
        int tries = random.nextInt(25);
        for (int i = 0; i < tries; i++) {
            String pair = (1 + random.nextInt(parRows)) + ", " + (1 + random.nextInt(6));
            if (pairs.add(pair)) {
                rows.add("(" + pair + ", " + (chance(0.3) ? "NULL" : "'t" + i + "'") + ")");
            }
        }
        if (!rows.isEmpty()) {
            setup.add("INSERT INTO tie (par_id, oth_id, note) VALUES " + String.join(", ", rows));
        }
        tables.add(new Table("oth", "id"));
        tables.add(new Table("tie", "par_id, oth_id"));
    }

    private void drawMigrations() {
        List<Repoint> repoints = new ArrayList<>();
        if (selfReference) {
            repoints.add(repoint("par", "parent_id"));
        }
        kids.forEach(k -> repoints.add(repoint(k, "par_id")));
        if (tie) {
            repoints.add(repoint("tie", "par_id"));
        }
        if (!repoints.isEmpty() && chance(0.06)) {
            repoints.remove(random.nextInt(repoints.size()));
        }
        if (tie && chance(0.04)) {
            repoints.add(repoint("tie", "oth_id"));
        }
        List<OrderItem> order = pick(List.of(List.of(OrderItem.asc("id")), List.of(new OrderItem("amount", true)), List.of(new OrderItem("seen", true)),
                List.of(OrderItem.asc("born"), new OrderItem("ratio", true))));
        List<Step> first = new ArrayList<>();
        first.add(new DedupeStep(TableName.parse("par"), key, order, NullsMode.DISTINCT, !chance(0.15), repoints));
        boolean laterDedupe = !kids.isEmpty() && !kidsWithSlotKey.contains("kid1") && chance(0.3);
        if (laterDedupe) {
            first.add(dedupe("kid1", List.of("par_id", "slot")));
        }
        first.add(unique("par", "uq_par_key", key));
        if (laterDedupe) {
            first.add(unique("kid1", "uq_kid1_slot", List.of("par_id", "slot")));
        }
        if (chance(0.12)) {
            first.add(unique("par", "uq_par_amount", List.of("amount")));
        }
        List<SqlCheck> pre = new ArrayList<>();
        List<SqlCheck> post = new ArrayList<>();
        if (chance(0.2)) {
            pre.add(check("SELECT COUNT(*) FROM par WHERE id < 0", chance(0.25) ? Expectation.exactly(1) : Expectation.exactly(0)));
        }
        if (chance(0.2)) {
            post.add(check(kids.isEmpty() ? "SELECT COUNT(*) FROM par WHERE name IS NULL"
                    : "SELECT COUNT(*) FROM kid1 k LEFT JOIN par p ON p.id = k.par_id WHERE k.par_id IS NOT NULL AND p.id IS NULL", Expectation.exactly(0)));
        }
        if (chance(0.06)) {
            post.add(check("SELECT COUNT(*) FROM par", new Expectation(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.of(1))));
        }
        List<AllowedTrigger> allowed = triggerAllowed ? List.of(new AllowedTrigger(DELETE_TRIGGER, Optional.empty(), "deletes the notes of a deleted par row"))
                : List.of();
        add("fz_1", first, pre, post, allowed);
        if (!kids.isEmpty() && chance(0.45)) {
            add("fz_2", List.of(dedupe("kid1", List.of("par_id")), unique("kid1", "uq_kid1_par", List.of("par_id"))), List.of(), List.of(), List.of());
        }
        if (chance(0.25)) {
            add("fz_3", List.of(unique("par", "uq_par_name_id", List.of("name", "id"))), List.of(), List.of(), List.of());
        }
    }

    private Repoint repoint(String table, String column) {
        return new Repoint(TableName.parse(table), column, chance(0.6) ? Repoint.OnConflict.DELETE : Repoint.OnConflict.FAIL);
    }

    private DedupeStep dedupe(String table, List<String> columns) {
        return new DedupeStep(TableName.parse(table), columns, List.of(OrderItem.asc("id")), NullsMode.DISTINCT, true, List.of());
    }

    private static AddUniqueStep unique(String table, String name, List<String> columns) {
        return new AddUniqueStep(TableName.parse(table), name, columns, null);
    }

    private static SqlCheck check(String sql, Expectation expect) {
        return new SqlCheck(sql, expect, "fuzz");
    }

    private void add(String id, List<Step> steps, List<SqlCheck> pre, List<SqlCheck> post, List<AllowedTrigger> allowed) {
        Optional<Online> online = onlineShape(steps, pre, post) && chance(0.5)
                ? Optional.of(new Online(Duration.ofMillis(200), OptionalLong.of(1 + random.nextInt(4)), Duration.ZERO)) : Optional.empty();
        String text = FuzzRules.yaml(id, steps, pre, post, allowed, online);
        rules.append(text);
        Migration migration = new Migration(id, "fuzz " + id, Integer.toHexString(text.hashCode()), "fuzz:" + id, Guards.DEFAULT, steps, pre, post,
                allowed);
        migrations.add(online.map(migration::inOnlineMode).orElse(migration));
    }

    /**
     * Whether online mode could run the migration where the database has it (one dedupe and the add_unique of its key,
     * no checks, no repoint that deletes clashes), in small fixed chunks so a case has several, self-repoints included.
     */
    private boolean onlineShape(List<Step> steps, List<SqlCheck> pre, List<SqlCheck> post) {
        return flavor != Flavor.H2 && steps.size() == 2 && steps.get(0) instanceof DedupeStep dedupe && steps.get(1) instanceof AddUniqueStep unique
                && unique.table().equals(dedupe.table()) && DedupeStep.sameColumns(unique.columns(), dedupe.key()) && pre.isEmpty() && post.isEmpty()
                && dedupe.repoint().stream().noneMatch(r -> r.onConflict() == Repoint.OnConflict.DELETE);
    }

    /** The schema (without its inserts) and the rules files, to read beside a replayed case. */
    String describe() {
        return setup.stream().filter(s -> !s.startsWith("INSERT")).collect(Collectors.joining(";\n", "", ";\n"))
                + "-- " + parRows + " par rows\n" + rules;
    }
}
