-- The best hand-written migration: one transaction, set-based, hash joins.
\set ON_ERROR_STOP on
BEGIN;
LOCK TABLE action_invariants, invariant_checks IN SHARE ROW EXCLUSIVE MODE;
-- losers (every row of a key group but the lowest id) with their survivor's id
CREATE TABLE hand_archive_action_invariants AS
SELECT a.*, g.keep_id
FROM action_invariants a
JOIN (SELECT action_name, position, min(id) AS keep_id
      FROM action_invariants GROUP BY action_name, position HAVING count(*) > 1) g
  ON g.action_name = a.action_name AND g.position = a.position
WHERE a.id <> g.keep_id;
ANALYZE hand_archive_action_invariants;
-- before-images of the child rows that move
CREATE TABLE hand_archive_invariant_checks AS
SELECT c.* FROM invariant_checks c JOIN hand_archive_action_invariants l ON l.id = c.invariant_id;
UPDATE invariant_checks c SET invariant_id = l.keep_id
FROM hand_archive_action_invariants l WHERE l.id = c.invariant_id;
DELETE FROM action_invariants a USING hand_archive_action_invariants l WHERE a.id = l.id;
ALTER TABLE action_invariants ADD CONSTRAINT uq_action_invariants_action_position UNIQUE (action_name, position);
COMMIT;
