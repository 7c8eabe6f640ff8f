#!/usr/bin/env python3
"""Prints the benchmark table from OUT/results.tsv and OUT/fp/*.txt (see bench/README.md)."""
import csv
import glob
import os
import statistics
import sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "out")
naive_timeout = os.environ.get("NAIVE_TIMEOUT", "300")
rows = list(csv.DictReader(open(os.path.join(out, "results.tsv")), delimiter="\t"))
# SINCE / UNTIL (ISO timestamps, e.g. 2026-11-26T20:08) keep only the runs that started in that window
since, until = os.environ.get("SINCE", ""), os.environ.get("UNTIL", "~")
rows = [r for r in rows if since <= r["date"] < until]


def med(values):
    return statistics.median(values) if values else None


def fmt(x):
    return "-" if x is None else f"{x:.1f}"


def fingerprints(db, size, variant):
    prints = {}
    for path in sorted(glob.glob(os.path.join(out, "fp", f"{db}-{size}-{variant}-*.txt"))):
        with open(path) as f:
            prints[os.path.basename(path)] = f.read().strip()
    return prints


keys = []
for r in rows:
    k = (r["db"], r["rows"])
    if r["db"] != "startup" and k not in keys:
        keys.append(k)

header = ["database", "rows", "a safemigrate s", "b hand SQL s", "c naive s", "a/b", "rows deleted",
          "peak RSS a MB", "-Xmx64m run", "a = b data", "runs a/b/c", "load avg"]
table = [header]
for db, size in keys:
    sel = [r for r in rows if r["db"] == db and r["rows"] == size]
    ok = lambda v: [float(r["seconds"]) for r in sel if r["variant"] == v and r["status"] == "ok"]
    a, b, c = ok("a"), ok("b"), ok("c")
    ma, mb, mc = med(a), med(b), med(c)
    c_status = {r["status"] for r in sel if r["variant"] == "c"}
    if "timeout" in c_status:
        c_text = f"> {naive_timeout}"
    elif "not_run_timed_out_at_smaller_size" in c_status:
        c_text = f"> {naive_timeout} (at smaller size; not run)"
    elif "error_1093" in c_status:
        c_text = "rejected (ERROR 1093)"
    elif mc is not None:
        c_text = fmt(mc)
    elif not c_status and any(r["db"] == db and int(r["rows"]) < int(size) and r["variant"] == "c" and r["status"] == "timeout"
                              for r in rows):
        c_text = f"> {naive_timeout} (at smaller size; not run)"
    else:
        c_text = ",".join(sorted(c_status)) or "-"
    failed_a = [r["status"] for r in sel if r["variant"] == "a" and r["status"] not in ("ok", "timeout")]
    a_timeout = [r for r in sel if r["variant"] == "a" and r["status"] == "timeout"]
    after = [int(r["parent_rows_after"]) for r in sel if r["variant"] in ("a", "b") and r["parent_rows_after"]]
    deleted = str(int(size) - after[0]) if after else "-"
    rss = [int(r["peak_rss_kb"]) for r in sel if r["variant"] == "a" and r["peak_rss_kb"]]
    x64 = [r for r in sel if r["variant"] == "a64"]
    if x64:
        r = x64[-1]
        x64_text = (f"{float(r['seconds']):.1f} s, {int(r['peak_rss_kb']) // 1024} MB" if r["status"] == "ok"
                    else f"FAILED {r['status']}")
    else:
        x64_text = "-"
    fa = fingerprints(db, size, "a") | fingerprints(db, size, "a64")
    fb = fingerprints(db, size, "b")
    distinct = set(fa.values()) | set(fb.values())
    if not fa or not fb:
        same = "not compared"
    elif len(distinct) == 1 and "unique 1" in next(iter(distinct)):
        same = f"identical ({len(fa)}+{len(fb)} runs)"
    else:
        same = "DIFFERENT"
    loads = [float(r["load1"]) for r in sel if r["load1"]]
    a_text = fmt(ma) if ma is not None else (f"> {float(a_timeout[0]['seconds']):.0f}" if a_timeout else "-")
    table.append([db, f"{int(size):,}", a_text + (f" ({len(failed_a)} failed)" if failed_a else ""), fmt(mb), c_text,
                  f"{ma / mb:.2f}" if ma and mb else "-", deleted, str(max(rss) // 1024) if rss else "-", x64_text, same,
                  f"{len(a)}/{len(b)}/{len(c)}", f"{min(loads):.1f}-{max(loads):.1f}" if loads else "-"])

widths = [max(len(row[i]) for row in table) for i in range(len(header))]
print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for row in table[1:]:
    print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")

startup = [float(r["seconds"]) for r in rows if r["db"] == "startup" and r["status"] == "ok"]
if startup:
    print(f"\nstartup: `safemigrate status` on an empty embedded H2 database: median {med(startup):.2f} s wall "
          f"(min {min(startup):.2f}, max {max(startup):.2f}, {len(startup)} runs)")
