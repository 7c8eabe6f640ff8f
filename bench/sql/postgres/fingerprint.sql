-- Order-independent fingerprint of the surviving data (one line).
SELECT 'parent', count(*), sum(id), sum(position::bigint * id % 1000003), md5(string_agg(id || ':' || action_name || ':' || position || ':' || expression || ':' || created_at, ',' ORDER BY id))
FROM action_invariants
UNION ALL
SELECT 'child', count(*), sum(invariant_id), sum(id * invariant_id % 1000003), md5(string_agg(id || ':' || invariant_id || ':' || outcome || ':' || checked_at, ',' ORDER BY id))
FROM invariant_checks
UNION ALL
SELECT 'unique', count(*), NULL, NULL, NULL FROM pg_constraint WHERE conname = 'uq_action_invariants_action_position';
