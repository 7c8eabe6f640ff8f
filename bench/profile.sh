#!/usr/bin/env bash
# Per-statement timings of one safemigrate run (a) and one hand-written run (b), on fresh data.
#   bench/profile.sh postgres 1000000     statements from the server log (log_min_duration_statement = 0 on the run database)
#   bench/profile.sh mariadb 1000000      statements from mysql.slow_log (long_query_time = 0 for the two sessions only)
# Prints "seconds  statement" lines in execution order, for a and then for b.
set -uo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
DB=${1:?postgres or mariadb}; ROWS=${2:-1000000}
JAR="${JAR:-$ROOT/cli/target/safemigrate.jar}"
PGLOG="${PGLOG:-/var/log/postgresql/postgresql-15-main.log}"
export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-postgres}"
MY="mariadb -h ${MYHOST:-127.0.0.1} -u ${MYUSER:-root}"
subst() { local n=$2 d=$(( $2 * 9 / 10 )) c=$(( $2 / 2 ))
    sed -e "s/@N1@/$((n - 1))/g; s/@C1@/$((c - 1))/g; s/@N@/$n/g; s/@D@/$d/g; s/@C@/$c/g" "$1"; }

case "$DB" in
postgres)
    psql -qX -c "DROP DATABASE IF EXISTS smbench_prof_tpl WITH (FORCE)" -c "CREATE DATABASE smbench_prof_tpl" >/dev/null
    subst "$BENCH/sql/postgres/generate.sql" "$ROWS" | psql -qX -d smbench_prof_tpl >/dev/null 2>&1
    for v in a b; do
        psql -qX -c "DROP DATABASE IF EXISTS smbench_prof WITH (FORCE)" \
            -c "CREATE DATABASE smbench_prof TEMPLATE smbench_prof_tpl STRATEGY FILE_COPY" \
            -c "ALTER DATABASE smbench_prof SET log_min_duration_statement = 0" >/dev/null
        start=$(wc -l < "$PGLOG"); s=$(date +%s.%N)
        if [ $v = a ]; then java -jar "$JAR" migrate --url "jdbc:postgresql://$PGHOST:5432/smbench_prof" --user "$PGUSER" "$BENCH/rules" >/dev/null
        else psql -qX -d smbench_prof -f "$BENCH/sql/postgres/hand.sql" >/dev/null; fi
        e=$(date +%s.%N)
        echo "== $v: $(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }') s wall; statements (s):"
        tail -n +$((start + 1)) "$PGLOG" | grep -o 'duration: [0-9.]* ms .*' \
            | awk '{ ms = $2; $1 = ""; $2 = ""; $3 = ""; sub(/^ +/, ""); sub(/^(execute [^:]*|statement): /, ""); printf "%8.2f  %s\n", ms / 1000, substr($0, 1, 230) }' \
            | awk '$1 >= 0.05'
    done
    psql -qX -c "DROP DATABASE IF EXISTS smbench_prof WITH (FORCE)" -c "DROP DATABASE IF EXISTS smbench_prof_tpl WITH (FORCE)" >/dev/null
    ;;
mariadb)
    old_output=$($MY -N -e "SELECT @@global.log_output"); old_slow=$($MY -N -e "SELECT @@global.slow_query_log")
    $MY -e "SET GLOBAL log_output = 'TABLE', GLOBAL slow_query_log = 1"
    for v in a b; do
        $MY -e "DROP DATABASE IF EXISTS smbench_prof; CREATE DATABASE smbench_prof"
        subst "$BENCH/sql/mariadb/generate.sql" "$ROWS" | $MY smbench_prof >/dev/null
        $MY -e "TRUNCATE mysql.slow_log"
        s=$(date +%s.%N)
        if [ $v = a ]; then java -jar "$JAR" migrate --url "jdbc:mysql://127.0.0.1:3306/smbench_prof?sessionVariables=long_query_time=0" --user root "$BENCH/rules" >/dev/null
        else $MY --init-command="SET long_query_time = 0" smbench_prof < "$BENCH/sql/mariadb/hand.sql" >/dev/null; fi
        e=$(date +%s.%N)
        echo "== $v: $(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }') s wall; statements (s):"
        $MY -N -e "SELECT ROUND(TIME_TO_SEC(query_time) + MICROSECOND(query_time) / 1e6, 2) AS s, LEFT(REPLACE(CONVERT(sql_text USING utf8mb4), '\n', ' '), 230)
                   FROM mysql.slow_log WHERE db = 'smbench_prof' AND query_time >= 0.05 ORDER BY start_time"
    done
    $MY -e "SET GLOBAL log_output = '$old_output', GLOBAL slow_query_log = $old_slow; DROP DATABASE IF EXISTS smbench_prof"
    ;;
esac
