#!/usr/bin/env bash
# safemigrate benchmark (issue 6): safemigrate vs the best hand-written SQL vs the naive migration.
# See bench/README.md. Everything is configured through environment variables:
#
#   DBS="postgres mariadb h2"      databases to run
#   SIZES="1000000 5000000"        parent rows (child table: half as many)
#   RUNS=3                         rounds; each round runs a, b and c once, in rotated order, on fresh data
#   VARIANTS="a b c"               which of a, b, c to run
#   NAIVE_TIMEOUT=300              seconds before the naive migration is stopped and reported as "> N s"
#   A_TIMEOUT=1800                 seconds before a safemigrate run is stopped and reported as "> N s" (and not retried)
#   NAIVE_RETRY=0                  1: run the naive migration in every round even after it timed out
#   XMX_ROWS=5000000               size at which safemigrate is also run once with -Xmx64m ("" to skip)
#   STARTUP_RUNS=5                 runs of `safemigrate status` on an empty embedded database ("0" to skip)
#   JAR=cli/target/safemigrate.jar the safemigrate CLI jar
#   SAFEMIGRATE_JAVA_OPTS=         JVM options for the (a) runs
#   WORK=/tmp/safemigrate-bench    scratch space (H2 files, logs)
#   OUT=bench/out                  results.tsv, fingerprints, logs of every run
#   PGHOST/PGPORT/PGUSER           PostgreSQL (default 127.0.0.1:5432 postgres)
#   MYHOST/MYPORT/MYUSER           MariaDB (default 127.0.0.1:3306 root)
#   H2JAR                          the H2 jar (default: ~/.m2/repository/com/h2database/h2/2.3.232/h2-2.3.232.jar)
set -uo pipefail

BENCH="${BENCH_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
ROOT="$(cd "$BENCH/.." && pwd)"
DBS="${DBS:-postgres mariadb h2}"
SIZES="${SIZES:-1000000 5000000}"
RUNS="${RUNS:-3}"
NAIVE_TIMEOUT="${NAIVE_TIMEOUT:-300}"
NAIVE_RETRY="${NAIVE_RETRY:-0}"
A_TIMEOUT="${A_TIMEOUT:-1800}"
VARIANTS="${VARIANTS:-a b c}"
XMX_ROWS="${XMX_ROWS-5000000}"
STARTUP_RUNS="${STARTUP_RUNS:-5}"
JAR="${JAR:-$ROOT/cli/target/safemigrate.jar}"
H2JAR="${H2JAR:-$HOME/.m2/repository/com/h2database/h2/2.3.232/h2-2.3.232.jar}"
WORK="${WORK:-/tmp/safemigrate-bench}"
OUT="${OUT:-$BENCH/out}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
MYHOST="${MYHOST:-127.0.0.1}" MYPORT="${MYPORT:-3306}" MYUSER="${MYUSER:-root}"
PG_RUN_DB=smbench_run
MY_DB=smbench

mkdir -p "$WORK" "$OUT/fp" "$OUT/log"
RESULTS="$OUT/results.tsv"
[ -f "$RESULTS" ] || printf 'db\trows\tvariant\tround\tseconds\tstatus\tpeak_rss_kb\tparent_rows_after\tload1\tdate\n' > "$RESULTS"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }
load1() { cut -d' ' -f1 /proc/loadavg; }

[ -f "$JAR" ] || { echo "no safemigrate jar at $JAR: build it with (cd $ROOT && mvn -o -q -B -DskipTests install)" >&2; exit 2; }

subst() { # file rows -> SQL with @N@ @D@ @C@ @N1@ @C1@ replaced
    local n=$2 d=$(( $2 * 9 / 10 )) c=$(( $2 / 2 ))
    sed -e "s/@N1@/$((n - 1))/g; s/@C1@/$((c - 1))/g; s/@N@/$n/g; s/@D@/$d/g; s/@C@/$c/g" "$1"
}

# ---------------------------------------------------------------- PostgreSQL
pg_tpl() { echo "smbench_tpl_$1"; }
pg_prepare() {
    local rows=$1 tpl; tpl=$(pg_tpl "$rows")
    log "postgres: generating $rows rows into template $tpl"
    psql -qX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $tpl WITH (FORCE)" -c "CREATE DATABASE $tpl" >/dev/null || return 1
    subst "$BENCH/sql/postgres/generate.sql" "$rows" | psql -qX -v ON_ERROR_STOP=1 -d "$tpl" >/dev/null
}
pg_fresh() {
    psql -qX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $PG_RUN_DB WITH (FORCE)" \
        -c "CREATE DATABASE $PG_RUN_DB TEMPLATE $(pg_tpl "$1") STRATEGY FILE_COPY" >/dev/null
}
pg_url() { echo "jdbc:postgresql://$PGHOST:$PGPORT/$PG_RUN_DB"; }
pg_user() { echo "$PGUSER"; }
pg_hand() { psql -X -v ON_ERROR_STOP=1 -d "$PG_RUN_DB" -f "$BENCH/sql/postgres/hand.sql"; }
pg_naive() { timeout "$NAIVE_TIMEOUT" psql -X -v ON_ERROR_STOP=1 -d "$PG_RUN_DB" -f "$BENCH/sql/postgres/naive.sql"; }
pg_stop() { psql -qX -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$PG_RUN_DB'" >/dev/null; }
pg_fingerprint() { psql -X -At -F ' ' -d "$PG_RUN_DB" -f "$BENCH/sql/postgres/fingerprint.sql"; }
pg_cleanup() { psql -qX -c "DROP DATABASE IF EXISTS $PG_RUN_DB WITH (FORCE)" -c "DROP DATABASE IF EXISTS $(pg_tpl "$1") WITH (FORCE)" >/dev/null; }

# ---------------------------------------------------------------- MariaDB (no cheap clone: regenerated for every run)
my() { mariadb -h "$MYHOST" -P "$MYPORT" -u "$MYUSER" "$@"; }
my_prepare() { :; }
my_fresh() {
    my -e "DROP DATABASE IF EXISTS $MY_DB; CREATE DATABASE $MY_DB" || return 1
    subst "$BENCH/sql/mariadb/generate.sql" "$1" | my "$MY_DB" >/dev/null
}
my_url() { echo "jdbc:mysql://$MYHOST:$MYPORT/$MY_DB"; }
my_user() { echo "$MYUSER"; }
my_hand() { my -v "$MY_DB" < "$BENCH/sql/mariadb/hand.sql"; }
my_naive() { timeout "$NAIVE_TIMEOUT" mariadb -h "$MYHOST" -P "$MYPORT" -u "$MYUSER" -v "$MY_DB" < "$BENCH/sql/mariadb/naive.sql"; }
my_stop() {
    local id
    for id in $(my -N -e "SELECT id FROM information_schema.processlist WHERE db = '$MY_DB' AND id <> CONNECTION_ID()"); do
        my -e "KILL $id" 2>/dev/null
    done
}
my_fingerprint() { my -N "$MY_DB" < "$BENCH/sql/mariadb/fingerprint.sql" | tr '\t' ' '; }
my_cleanup() { my -e "DROP DATABASE IF EXISTS $MY_DB"; }

# ---------------------------------------------------------------- H2 (file database; the template file is copied per run)
h2_tpl_dir() { echo "$WORK/h2/tpl_$1"; }
h2_run_dir() { echo "$WORK/h2/run"; }
h2_prepare() {
    local rows=$1 dir; dir=$(h2_tpl_dir "$rows")
    log "h2: generating $rows rows into $dir"
    rm -rf "$dir"; mkdir -p "$dir"
    { subst "$BENCH/sql/h2/generate.sql" "$rows" | h2_chunks "$rows"; echo "SHUTDOWN COMPACT;"; } > "$WORK/h2/generate_$rows.sql"
    java -cp "$H2JAR" org.h2.tools.RunScript -url "jdbc:h2:file:$dir/bench" -user sa -script "$WORK/h2/generate_$rows.sql"
}
h2_chunks() { # repeats each statement ending in "-- @CHUNK@ parent|child" over 500,000-row ranges
    python3 -c '
import re, sys
n = int(sys.argv[1]); sizes = {"parent": n, "child": n // 2}; step = 500000
out, buf = [], []
for line in sys.stdin.read().split("\n"):
    m = re.search(r"-- @CHUNK@ (parent|child)", line)
    if line.startswith("INSERT INTO") or buf:
        buf.append(line)
    else:
        out.append(line)
    if m:
        stmt = "\n".join(buf); buf = []
        for lo in range(0, sizes[m.group(1)], step):
            hi = min(lo + step, sizes[m.group(1)]) - 1
            out.append(stmt.replace("@LO@", str(lo)).replace("@HI@", str(hi)))
print("\n".join(out + buf))
' "$1"
}
h2_fresh() { local run; run=$(h2_run_dir); rm -rf "$run"; mkdir -p "$run"; cp "$(h2_tpl_dir "$1")/bench.mv.db" "$run/"; }
h2_url() { echo "jdbc:h2:file:$(h2_run_dir)/bench"; }
# The -Xmx64m run must not give H2's own pages and sort buffers that heap: it connects to an H2 TCP
# server in a JVM of its own, as `safemigrate demo` does, and as any database server runs.
H2_TCP_PORT="${H2_TCP_PORT:-9123}"
h2_a64_start() {
    java -cp "$H2JAR" org.h2.tools.Server -tcp -tcpPort "$H2_TCP_PORT" > "$WORK/h2-server.log" 2>&1 &
    echo $! > "$WORK/h2-server.pid"
    for _ in $(seq 1 50); do grep -q "TCP server running" "$WORK/h2-server.log" && break; sleep 0.2; done
}
h2_a64_url() { echo "jdbc:h2:tcp://127.0.0.1:$H2_TCP_PORT/$(h2_run_dir)/bench"; }
h2_a64_stop() { kill "$(cat "$WORK/h2-server.pid")"; wait "$(cat "$WORK/h2-server.pid")" 2>/dev/null; }
h2_user() { echo sa; }
h2_script() { java -cp "$H2JAR" org.h2.tools.RunScript -url "$(h2_url)" -user sa -showResults -script "$1"; }
h2_hand() { h2_script "$BENCH/sql/h2/hand.sql"; }
h2_naive() { timeout "$NAIVE_TIMEOUT" java -cp "$H2JAR" org.h2.tools.RunScript -url "$(h2_url)" -user sa -showResults -script "$BENCH/sql/h2/naive.sql"; }
h2_stop() { :; }   # the database lives in the killed process
h2_fingerprint() {
    java -cp "$H2JAR" org.h2.tools.Shell -url "$(h2_url)" -user sa -sql "$(tr '\n' ' ' < "$BENCH/sql/h2/fingerprint.sql")" \
        | grep -E "^(parent|child|unique) " | sed 's/ *| */ /g'
}
h2_cleanup() { rm -rf "$(h2_run_dir)" "$(h2_tpl_dir "$1")"; }

prefix() { case "$1" in postgres) echo pg ;; mariadb) echo my ;; h2) echo h2 ;; *) echo "unknown database $1" >&2; exit 2 ;; esac; }

# ---------------------------------------------------------------- one timed run
# run_variant db rows variant round -> appends to results.tsv
run_variant() {
    local db=$1 rows=$2 variant=$3 round=$4 p; p=$(prefix "$db")
    local tag="$db-$rows-$variant-$round" logf="$OUT/log/$db-$rows-$variant-$round.log" status=ok rss="" s e rc
    "${p}_fresh" "$rows" || { log "$tag: could not build the data"; return 1; }
    local l; l=$(load1)
    case "$variant" in
        a|a64)
            local opts="${SAFEMIGRATE_JAVA_OPTS:-}" url; url=$("${p}_url")
            if [ "$variant" = a64 ]; then
                opts="-Xmx64m"
                if declare -F "${p}_a64_start" > /dev/null; then "${p}_a64_start"; url=$("${p}_a64_url"); fi
            fi
            s=$(now)
            # shellcheck disable=SC2086
            /usr/bin/time -v -o "$WORK/time.txt" timeout "$A_TIMEOUT" java $opts -jar "$JAR" migrate --url "$url" \
                --user "$("${p}_user")" "$BENCH/rules" > "$logf" 2>&1
            rc=$?; e=$(now)
            if [ "$variant" = a64 ] && declare -F "${p}_a64_stop" > /dev/null; then "${p}_a64_stop"; fi
            rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
            if [ $rc -eq 124 ]; then status=timeout; "${p}_stop"
            elif [ $rc -ne 0 ]; then status="exit_$rc"; fi ;;
        b)
            s=$(now); "${p}_hand" > "$logf" 2>&1; rc=$?; e=$(now)
            [ $rc -eq 0 ] || status="exit_$rc" ;;
        c)
            s=$(now); "${p}_naive" > "$logf" 2>&1; rc=$?; e=$(now)
            if [ $rc -eq 124 ]; then status=timeout; "${p}_stop"
            elif grep -q "1093" "$logf"; then status=error_1093
            elif [ $rc -ne 0 ]; then status="exit_$rc"; fi ;;
    esac
    local secs; secs=$(elapsed "$s" "$e")
    local after=""
    if [ "$status" = ok ]; then
        "${p}_fingerprint" > "$OUT/fp/$tag.txt" 2>>"$logf"
        after=$(awk '$1 == "parent" { print $2 }' "$OUT/fp/$tag.txt")
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$db" "$rows" "$variant" "$round" "$secs" "$status" "$rss" "$after" "$l" \
        "$(date -Is)" >> "$RESULTS"
    log "$tag: $secs s, $status${rss:+, peak RSS ${rss} kB}${after:+, $after parent rows left} (load $l)"
    [ "$status" = timeout ] && return 3
    return 0
}

# ---------------------------------------------------------------- main loop
naive_gave_up=""   # databases where c timed out: not retried at larger sizes unless NAIVE_RETRY=1
for rows in $SIZES; do
    for db in $DBS; do
        p=$(prefix "$db")
        "${p}_prepare" "$rows" || { log "$db: preparing $rows rows failed"; continue; }
        skip_c=0; skip_a=0
        case " $naive_gave_up " in *" $db "*) [ "$NAIVE_RETRY" = 1 ] || skip_c=1 ;; esac
        if [ $skip_c = 1 ]; then
            printf '%s\t%s\tc\t0\t\tnot_run_timed_out_at_smaller_size\t\t\t%s\t%s\n' "$db" "$rows" "$(load1)" "$(date -Is)" >> "$RESULTS"
        fi
        for round in $(seq 1 "$RUNS"); do
            case $(( (round - 1) % 3 )) in 0) order="a b c" ;; 1) order="b c a" ;; 2) order="c a b" ;; esac
            for v in $order; do
                case " $VARIANTS " in *" $v "*) ;; *) continue ;; esac
                if [ "$v" = c ] && [ $skip_c = 1 ]; then continue; fi
                if [ "$v" = a ] && [ $skip_a = 1 ]; then continue; fi
                run_variant "$db" "$rows" "$v" "$round"
                if [ $? -eq 3 ]; then
                    if [ "$v" = a ]; then skip_a=1
                    elif [ "$NAIVE_RETRY" != 1 ]; then skip_c=1; naive_gave_up="$naive_gave_up $db"; fi
                fi
            done
        done
        if [ -n "$XMX_ROWS" ] && [ "$rows" = "$XMX_ROWS" ]; then
            run_variant "$db" "$rows" a64 1
        fi
        "${p}_cleanup" "$rows"
    done
done

# ---------------------------------------------------------------- startup cost
if [ "$STARTUP_RUNS" -gt 0 ]; then
    for i in $(seq 1 "$STARTUP_RUNS"); do
        d="$WORK/startup_$i"; rm -rf "$d"; mkdir -p "$d"
        s=$(now); (cd "$d" && java -jar "$JAR" status > /dev/null 2>&1); rc=$?; e=$(now)
        printf 'startup\t0\tstatus\t%s\t%s\t%s\t\t\t%s\t%s\n' "$i" "$(elapsed "$s" "$e")" "$([ $rc -eq 0 ] && echo ok || echo "exit_$rc")" \
            "$(load1)" "$(date -Is)" >> "$RESULTS"
        rm -rf "$d"
    done
fi

python3 "$BENCH/summarize.py" "$OUT"
