#!/usr/bin/env python3
"""Where an online run's time goes, from the PostgreSQL server log of a run database with
log_min_duration_statement = 0 (bench/online.sh with LOG_MS=0 copies it to <run>.slow.log): the run's statements
(the writers' carry the literal 'writer' and are left out) grouped by shape (numbers and work-table names blanked),
with their count, total seconds, and mean ms in the first and the last fifth of their occurrences (a mean that grows
means each chunk costs more than the one before)."""
import collections
import re
import sys

durations = collections.defaultdict(list)
for line in open(sys.argv[1], errors="replace"):
    m = re.search(r"duration: ([0-9.]+) ms  (?:execute [^:]*|statement): (.*)", line)
    if not m or "'writer'" in m.group(2) or m.group(2).startswith(("UPDATE action_invariants SET expression = $", "SELECT 'constraint=")):
        continue
    shape = re.sub(r"[0-9]+", "N", re.sub(r'"sm_(online|archive)_[0-9a-f]+_', '"sm_\\1_', m.group(2)))[:150]
    durations[shape].append(float(m.group(1)))

total = sum(sum(v) for v in durations.values())
print(f"{total / 1000:.1f} s in {sum(len(v) for v in durations.values())} statements of the run")
print(f"{'seconds':>8} {'count':>6} {'first 1/5':>9} {'last 1/5':>9}  statement (ms per statement)")
for shape, values in sorted(durations.items(), key=lambda kv: -sum(kv[1]))[:15]:
    fifth = max(1, len(values) // 5)
    first, last = values[:fifth], values[-fifth:]
    print(f"{sum(values) / 1000:8.1f} {len(values):6d} {sum(first) / len(first):9.2f} {sum(last) / len(last):9.2f}  {shape}")
