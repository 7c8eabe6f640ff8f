-- The best hand-written migration on MariaDB. DDL commits, so: build the archive (CREATE ... SELECT
-- commits), then one transaction for the before-images, the repoint and the delete, then the ALTER.
CREATE TABLE hand_archive_action_invariants (PRIMARY KEY (id)) ENGINE=InnoDB AS
SELECT * FROM (SELECT a.*, MIN(a.id) OVER (PARTITION BY a.action_name, a.position) AS keep_id FROM action_invariants a) w
WHERE w.id <> w.keep_id;
-- (a window pass, not a join to a GROUP BY: MariaDB's GROUP BY on (VARCHAR, INT) over 1M rows
-- goes through a temporary table and took ~3x as long as this window pass in a profiled run)
CREATE TABLE hand_archive_invariant_checks LIKE invariant_checks;  -- LIKE copies columns and indexes, not foreign keys
START TRANSACTION;
INSERT INTO hand_archive_invariant_checks
SELECT c.* FROM invariant_checks c JOIN hand_archive_action_invariants l ON l.id = c.invariant_id;
UPDATE invariant_checks c JOIN hand_archive_action_invariants l ON l.id = c.invariant_id SET c.invariant_id = l.keep_id;
DELETE a FROM action_invariants a JOIN hand_archive_action_invariants l ON a.id = l.id;
COMMIT;
ALTER TABLE action_invariants ADD CONSTRAINT uq_action_invariants_action_position UNIQUE (action_name, position);
