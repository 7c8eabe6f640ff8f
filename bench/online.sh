#!/usr/bin/env bash
# Online mode benchmark (issue 13, acceptance 5): offline vs online migration of the bench tables while a writer
# load runs at a fixed rate (bench/online/WriterLoad.java). See bench/README.md, "Online mode". Settings:
#
#   DBS="postgres mariadb"     databases
#   ROWS=5000000               parent rows (child rows: half as many)
#   MODES="offline online online64"   runs, in this order, each on fresh data; online64 = online with -Xmx64m
#   THREADS=4 RATE=200         writer threads and statements per second (all threads together)
#   WARM=5 COOL=3              seconds of writer load before the migration starts and after it ends
#   PG_LOG=/var/log/postgresql/postgresql-15-main.log   statements >= LOG_MS ms of online runs are copied from it
#   LOG_MS=100
#   MIGRATE_ARGS=              more options for `safemigrate migrate`, e.g. "--lock-timeout 600"
#   OUT=bench/out-online       results.tsv, logs, writer samples
set -uo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
DBS="${DBS:-postgres mariadb}"
ROWS="${ROWS:-5000000}"
MODES="${MODES:-offline online online64}"
THREADS="${THREADS:-4}" RATE="${RATE:-200}" WARM="${WARM:-5}" COOL="${COOL:-3}"
PG_LOG="${PG_LOG:-/var/log/postgresql/postgresql-15-main.log}" LOG_MS="${LOG_MS:-100}"
JAR="${JAR:-$ROOT/cli/target/safemigrate.jar}"
OUT="${OUT:-$BENCH/out-online}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
MYHOST="${MYHOST:-127.0.0.1}" MYPORT="${MYPORT:-3306}" MYUSER="${MYUSER:-root}"
PG_TPL="smbench_online_tpl_$ROWS" PG_DB=smbench_online MY_DB=smbench_online

mkdir -p "$OUT/log"
RESULTS="$OUT/results.tsv"
[ -f "$RESULTS" ] || printf 'db\trows\tmode\tseconds\texit\tpeak_rss_kb\tload1_start\tload1_end\twriter\tcheck\tdate\n' > "$RESULTS"
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
ms() { date +%s%3N; }
load1() { cut -d' ' -f1 /proc/loadavg; }
subst() { local n=$2 d=$(( $2 * 9 / 10 )) c=$(( $2 / 2 ))
    sed -e "s/@N1@/$((n - 1))/g; s/@C1@/$((c - 1))/g; s/@N@/$n/g; s/@D@/$d/g; s/@C@/$c/g" "$1"; }
my() { mariadb -h "$MYHOST" -P "$MYPORT" -u "$MYUSER" "$@"; }

# fresh data per run: PostgreSQL clones a template, MariaDB regenerates
pg_fresh() {
    if [ -z "$(psql -XAtc "SELECT 1 FROM pg_database WHERE datname = '$PG_TPL'")" ]; then
        log "postgres: generating $ROWS rows into $PG_TPL"
        psql -qX -c "CREATE DATABASE $PG_TPL" && subst "$BENCH/sql/postgres/generate.sql" "$ROWS" | psql -qX -v ON_ERROR_STOP=1 -d "$PG_TPL" >/dev/null
    fi
    psql -qX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" \
        -c "CREATE DATABASE $PG_DB TEMPLATE $PG_TPL STRATEGY FILE_COPY" -c "ALTER DATABASE $PG_DB SET log_min_duration_statement = $LOG_MS" >/dev/null
}
pg_url() { echo "jdbc:postgresql://$PGHOST:$PGPORT/$PG_DB"; }
pg_check() { psql -XAt -F ' ' -d "$PG_DB" -c "SELECT 'constraint=' || (SELECT count(*) FROM pg_constraint WHERE conname = 'uq_action_invariants_action_position'),
    'duplicates=' || (SELECT count(*) FROM (SELECT 1 FROM action_invariants GROUP BY action_name, position HAVING count(*) > 1) d),
    'dangling=' || (SELECT count(*) FROM invariant_checks c WHERE NOT EXISTS (SELECT 1 FROM action_invariants a WHERE a.id = c.invariant_id)),
    'parents=' || (SELECT count(*) FROM action_invariants)"; }
# Server-wide counters around a PostgreSQL migration: WAL written and how many of its records were full-page images
# (the first change of a page after each checkpoint writes the whole page), checkpoints, and the shared buffers
# written out by checkpoints, the background writer and the backends themselves (a table that outgrows shared_buffers).
pg_counters() { psql -XAt -F ' ' -c "SELECT w.wal_bytes, w.wal_fpi, b.checkpoints_timed + b.checkpoints_req, b.buffers_checkpoint,
    b.buffers_clean, b.buffers_backend, b.buffers_alloc FROM pg_stat_bgwriter b, pg_stat_wal w"; }
pg_counters_since() { # before after
    awk -v b="$1" -v a="$2" 'BEGIN { split(b, x, " "); split(a, y, " ");
        printf "wal=%.0fMB full_page_images=%d checkpoints=%d written_by_checkpoint=%d by_bgwriter=%d by_backends=%d buffers_read_in=%d",
            (y[1] - x[1]) / 1048576, y[2] - x[2], y[3] - x[3], y[4] - x[4], y[5] - x[5], y[6] - x[6], y[7] - x[7] }'; }
pg_cleanup() { psql -qX -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" -c "DROP DATABASE IF EXISTS $PG_TPL WITH (FORCE)" >/dev/null; }
my_fresh() {
    log "mariadb: generating $ROWS rows"
    my -e "DROP DATABASE IF EXISTS $MY_DB; CREATE DATABASE $MY_DB" && subst "$BENCH/sql/mariadb/generate.sql" "$ROWS" | my "$MY_DB" >/dev/null
}
my_url() { echo "jdbc:mysql://$MYHOST:$MYPORT/$MY_DB"; }
my_check() { my -N "$MY_DB" -e "SELECT CONCAT('constraint=', (SELECT count(*) FROM information_schema.table_constraints WHERE table_schema = '$MY_DB'
    AND constraint_name = 'uq_action_invariants_action_position')), CONCAT('duplicates=', (SELECT count(*) FROM (SELECT 1 FROM action_invariants
    GROUP BY action_name, position HAVING count(*) > 1) d)), CONCAT('dangling=', (SELECT count(*) FROM invariant_checks c WHERE NOT EXISTS
    (SELECT 1 FROM action_invariants a WHERE a.id = c.invariant_id))), CONCAT('parents=', (SELECT count(*) FROM action_invariants))" | tr '\t' ' '; }
my_cleanup() { my -e "DROP DATABASE IF EXISTS $MY_DB"; }
pg_user() { echo "$PGUSER"; }
my_user() { echo "$MYUSER"; }

run() { # db mode
    local db=$1 mode=$2 p; p=$([ "$db" = postgres ] && echo pg || echo my)
    local tag="$db-$ROWS-$mode" rules="$BENCH/rules" opts="" url; url=$("${p}_url")
    [ "$mode" = offline ] || rules="$BENCH/rules-online"
    [ "$mode" = online64 ] && opts="-Xmx64m"
    "${p}_fresh" || { log "$tag: could not build the data"; return 1; }
    rm -f "$OUT/stop"
    java -cp "$JAR" "$BENCH/online/WriterLoad.java" "$url" "$("${p}_user")" "$ROWS" "$THREADS" "$RATE" "$OUT/stop" "$OUT/log/$tag.writes.tsv" \
        2> "$OUT/log/$tag.writer.err" &
    local writer=$! pglines; pglines=$(wc -l < "$PG_LOG" 2>/dev/null || echo 0)
    sleep "$WARM"
    local counters=""; [ "$db" = postgres ] && counters=$(pg_counters)
    local l0 t0 t1 rc; l0=$(load1); t0=$(ms)
    log "$tag: migrating (load $l0)"
    # shellcheck disable=SC2086
    /usr/bin/time -v -o "$OUT/log/$tag.time.txt" java $opts -jar "$JAR" migrate --json ${MIGRATE_ARGS:-} --url "$url" --user "$("${p}_user")" "$rules" \
        > "$OUT/log/$tag.json" 2> "$OUT/log/$tag.err"
    rc=$?; t1=$(ms)
    local l1; l1=$(load1)
    [ -n "$counters" ] && log "$tag: $(pg_counters_since "$counters" "$(pg_counters)")"
    sleep "$COOL"; touch "$OUT/stop"; wait "$writer"
    local rss; rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$OUT/log/$tag.time.txt")
    local summary check; summary=$(python3 "$BENCH/online/summarize.py" "$OUT/log/$tag.writes.tsv" "$t0" "$t1")
    check=$("${p}_check")
    [ "$db" = postgres ] && tail -n +$((pglines + 1)) "$PG_LOG" | grep "@$PG_DB " > "$OUT/log/$tag.slow.log"
    local secs; secs=$(awk -v s="$t0" -v e="$t1" 'BEGIN { printf "%.1f", (e - s) / 1000 }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$db" "$ROWS" "$mode" "$secs" "$rc" "$rss" "$l0" "$l1" "$summary" "$check" "$(date -Is)" >> "$RESULTS"
    log "$tag: $secs s, exit $rc, peak RSS $rss kB, load $l0 -> $l1; writers: $summary; $check"
}

first=$(( $(wc -l < "$RESULTS") + 1 ))
for db in $DBS; do
    for mode in $MODES; do
        run "$db" "$mode"
    done
    "$([ "$db" = postgres ] && echo pg || echo my)_cleanup"
done
# The figures of this invocation, with online/offline per database where both ran.
echo "== $RESULTS (this run)"
head -1 "$RESULTS" | cut -f1-8
tail -n +"$first" "$RESULTS" | cut -f1-8
tail -n +"$first" "$RESULTS" | awk -F'\t' '$3 == "offline" { off[$1] = $4 } $3 != "offline" { on[$1 " " $3] = $4 }
    END { for (k in on) { split(k, p, " "); if (off[p[1]] > 0) printf "%s %s / offline: %.2f\n", p[1], p[2], on[k] / off[p[1]] } }'
for db in $DBS; do
    tail -n +"$first" "$RESULTS" | awk -F'\t' -v db="$db" '$1 == db { print $1, $3 ": writers " $9 "; " $10 }'
done
