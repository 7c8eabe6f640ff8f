-- The best hand-written migration on H2. DDL commits the open transaction, so: build the archives
-- first, then one transaction for before-images, repoint and delete, then the ALTER.
-- H2 has no hash join: losers are found with one window pass, and every later statement looks rows
-- up by index (archive primary key, invariant_checks.invariant_id).
CREATE TABLE hand_archive_action_invariants AS
SELECT * FROM (SELECT a.*, MIN(a.id) OVER (PARTITION BY a.action_name, a.position) AS keep_id FROM action_invariants a) w
WHERE w.id <> w.keep_id;
CREATE UNIQUE INDEX hand_archive_action_invariants_id ON hand_archive_action_invariants (id);
CREATE TABLE hand_archive_invariant_checks AS SELECT * FROM invariant_checks WHERE 1 = 0;
SET AUTOCOMMIT OFF;
INSERT INTO hand_archive_invariant_checks
SELECT c.* FROM invariant_checks c WHERE c.invariant_id IN (SELECT l.id FROM hand_archive_action_invariants l);
MERGE INTO invariant_checks c USING hand_archive_action_invariants l ON c.invariant_id = l.id
WHEN MATCHED THEN UPDATE SET invariant_id = l.keep_id;
DELETE FROM action_invariants WHERE id IN (SELECT l.id FROM hand_archive_action_invariants l);
COMMIT;
SET AUTOCOMMIT ON;
ALTER TABLE action_invariants ADD CONSTRAINT uq_action_invariants_action_position UNIQUE (action_name, position);
