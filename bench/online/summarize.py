#!/usr/bin/env python3
"""One line on the writer statements scheduled during a migration (WriterLoad's samples, window in epoch ms):
how many, their latency (end minus scheduled time, so time queued behind a blocked statement counts) p50/p99/max
in ms, and the outcomes other than ok, by kind."""
import collections
import sys

samples, start, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
latencies, outcomes = [], collections.Counter()
with open(samples) as f:
    next(f)
    for line in f:
        scheduled, started, ended, kind, outcome = line.rstrip("\n").split("\t", 4)
        if kind == "thread":
            outcomes["thread " + outcome] += 1
            continue
        if not start <= int(scheduled) <= end:
            continue
        latencies.append(int(ended) - int(scheduled))
        if outcome != "ok":
            outcomes[kind + ":" + (outcome if outcome in ("duplicate", "foreign_key") else "error: " + outcome)] += 1
latencies.sort()


def pct(p):
    return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] if latencies else 0


errors = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) or "none"
print(f"{len(latencies)} statements, p50 {pct(50)} ms, p99 {pct(99)} ms, max {latencies[-1] if latencies else 0} ms; not ok: {errors}")
