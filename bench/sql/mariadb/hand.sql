-- The best hand-written migration on MariaDB. DDL commits, so: build the archive (CREATE ... SELECT
-- commits), then one transaction for the before-images, the repoint and the delete, then the ALTER.
CREATE TABLE hand_archive_action_invariants (PRIMARY KEY (id)) ENGINE=InnoDB AS
SELECT a.*, g.keep_id
FROM action_invariants a
JOIN (SELECT action_name, position, MIN(id) AS keep_id
      FROM action_invariants GROUP BY action_name, position HAVING COUNT(*) > 1) g
  ON g.action_name = a.action_name AND g.position = a.position
WHERE a.id <> g.keep_id;
CREATE TABLE hand_archive_invariant_checks LIKE invariant_checks;  -- LIKE copies columns and indexes, not foreign keys
START TRANSACTION;
INSERT INTO hand_archive_invariant_checks
SELECT c.* FROM invariant_checks c JOIN hand_archive_action_invariants l ON l.id = c.invariant_id;
UPDATE invariant_checks c JOIN hand_archive_action_invariants l ON l.id = c.invariant_id SET c.invariant_id = l.keep_id;
DELETE a FROM action_invariants a JOIN hand_archive_action_invariants l ON a.id = l.id;
COMMIT;
ALTER TABLE action_invariants ADD CONSTRAINT uq_action_invariants_action_position UNIQUE (action_name, position);
