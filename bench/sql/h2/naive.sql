-- The naive migration, as found in the wild: no transaction, NOT IN (SELECT MIN(id) ... GROUP BY ...).
-- Children are first moved the same naive way, else the DELETE would break the foreign key.
UPDATE invariant_checks SET invariant_id =
    (SELECT MIN(b.id) FROM action_invariants a JOIN action_invariants b
        ON b.action_name = a.action_name AND b.position = a.position
     WHERE a.id = invariant_checks.invariant_id)
WHERE invariant_id NOT IN (SELECT MIN(id) FROM action_invariants GROUP BY action_name, position);
DELETE FROM action_invariants WHERE id NOT IN (SELECT MIN(id) FROM action_invariants GROUP BY action_name, position);
ALTER TABLE action_invariants ADD CONSTRAINT uq_action_invariants_action_position UNIQUE (action_name, position);
