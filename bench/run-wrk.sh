#!/usr/bin/env bash
# Load benchmark of After Response with wrk: the same 200-byte servlet without the filter, behind it,
# and behind it with a task, in one server and one run, so that ratios are comparable on a noisy
# machine. See docs/benchmarks.md.
#
#   bench/run-wrk.sh
#
# Environment (defaults in brackets): DURATION [10s] per measured run, WARMUP [5s] per path before
# measuring, THREADS [2], CONNECTIONS [32], JAVA_OPTS [none], OUT [bench/target/wrk-<time>] for the
# raw wrk outputs, server logs and /stats.
#
# Steps: installs wrk (apt-get) if missing, builds bench/target/after-response-bench.jar if missing
# or older than the sources, starts the LoadServer (executor=container) in the background, warms up
# then measures /plain /plain-close /filtered /task /task-keepalive /task-stream, checks /stats,
# stops it (by its PID), then the same with executor=dedicated for /plain /task /task-keepalive
# /task-stream; prints Markdown tables.
# Exits 1 if a check fails (after printing the table).
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
JAVA_OPTS=${JAVA_OPTS:-}
JAR=bench/target/after-response-bench.jar
OUT=${OUT:-bench/target/wrk-$(date +%Y%m%d-%H%M%S)}

SERVER_PID=""
PORT=""
CHECKS_FAILED=0

stop_server() {
    # The shutdown hook stops Jetty (and the filters, with their shutdown grace).
    stop_pid "$SERVER_PID" 10 LoadServer
    SERVER_PID=""
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

# --- wrk ---------------------------------------------------------------------------------------
install_missing wrk wrk
for tool in java curl; do
    command -v "$tool" >/dev/null 2>&1 || { log "$tool is needed"; exit 2; }
done

# --- jar ---------------------------------------------------------------------------------------
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml core/pom.xml core/src bench/pom.xml bench/src -newer "$JAR" -print -quit)" ]; then
    log "building $JAR"
    mvn -B -q -DskipTests -pl bench -am package >&2
fi

mkdir -p "$OUT"

# --- server ------------------------------------------------------------------------------------
start_server() { # label, LoadServer options...
    local label=$1
    shift
    local server_log="$OUT/server-$label.log"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of words
    java $JAVA_OPTS -jar "$JAR" --port=0 "$@" >"$server_log" 2>&1 &
    SERVER_PID=$!
    PORT=""
    for _ in $(seq 1 300); do
        PORT=$(sed -n 's|^LoadServer listening on http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$server_log")
        [ -n "$PORT" ] && break
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            log "LoadServer exited:"
            cat "$server_log" >&2
            SERVER_PID=""
            exit 1
        fi
        sleep 0.1
    done
    if [ -z "$PORT" ]; then
        log "LoadServer did not print its port in 30 s:"
        cat "$server_log" >&2
        exit 1
    fi
    for _ in $(seq 1 100); do
        curl -fsS --max-time 2 "http://127.0.0.1:$PORT/stats" >/dev/null 2>&1 && break
        sleep 0.1
    done
    curl -fsS --max-time 2 "http://127.0.0.1:$PORT/stats" >/dev/null
    log "LoadServer ($label, PID $SERVER_PID) listening on 127.0.0.1:$PORT"
}

# TCP connections opened by this machine so far (ActiveOpens in /proc/net/snmp).
active_opens() {
    awk '$1 == "Tcp:" { if (!column) { for (i = 2; i <= NF; i++) if ($i == "ActiveOpens") column = i } else print $column }' /proc/net/snmp
}

CLK_TCK=$(getconf CLK_TCK)

# CPU time (user + system, in clock ticks) the server process has used so far.

# wrk's time ("812.00us", "1.23ms", "2.01s", "1.00m") in milliseconds.
to_ms() {
    awk -v t="$1" 'BEGIN {
        n = t + 0; u = t; sub(/^[0-9.]+/, "", u)
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
        if (f < 0) print "?"; else printf "%.2f", n * f
    }'
}

ROWS=()
BASE_RPS=""

# Loads every path for WARMUP, so that the JIT has compiled all of them before any is measured.
warm_up() { # paths...
    local path
    for path in "$@"; do
        timeout 60 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout 5s "http://127.0.0.1:$PORT$path" >/dev/null
    done
}

measure() { # label, path, what
    local label=$1 path=$2 what=$3
    local url="http://127.0.0.1:$PORT$path"
    local file="$OUT/wrk-$label-${path#/}.txt"
    local before after cpu_before cpu_after
    before=$(active_opens)
    cpu_before=$(server_cpu_ticks)
    timeout 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 5s --latency "$url" >"$file"
    cpu_after=$(server_cpu_ticks)
    after=$(active_opens)
    local rps p50 p99 requests non2xx errors
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$file")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$file")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$file")")
    requests=$(awk '/ requests in / { print $1 }' "$file")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$file")
    errors=$(sed -n 's/^ *Socket errors: //p' "$file")
    if [ "$path" = /plain ]; then
        BASE_RPS=$rps
    fi
    local ratio
    ratio=$(awk -v r="$rps" -v b="$BASE_RPS" 'BEGIN { if (b > 0) printf "%.2f", r / b; else print "?" }')
    local connects=$((after - before))
    local per_request
    per_request=$(awk -v c="$connects" -v n="$requests" 'BEGIN { if (n > 0) printf "%.2f", c / n; else print "?" }')
    # CPU the server process used (all its threads: requests, tasks, JIT, GC) per request: less
    # sensitive than requests/s to other work on the machine, which takes CPU but does not add to it.
    local cpu_us
    cpu_us=$(awk -v t=$((cpu_after - cpu_before)) -v hz="$CLK_TCK" -v n="$requests" \
        'BEGIN { if (n > 0) printf "%.0f", t * 1000000 / hz / n; else print "?" }')
    ROWS+=("| $label | \`$path\` | $what | $rps | $ratio | $p50 | $p99 | $cpu_us | $requests | $connects ($per_request) | ${non2xx:-0} | ${errors:-none} |")
    log "  $label $path: $rps requests/s, p50 $p50 ms, p99 $p99 ms, server CPU $cpu_us us/request, $connects TCP connects"
}

# /stats as NAME=VALUE lines; value of one key.
stat_value() { sed -n "s/^$1=//p" "$2"; }

# Waits until no exchange is queued or running, then checks every filter's figures.
check_stats() { # label
    local label=$1
    local file="$OUT/stats-$label.txt"
    for _ in $(seq 1 100); do
        curl -fsS --max-time 5 "http://127.0.0.1:$PORT/stats" >"$file"
        local busy
        busy=$(awk -F= '/\.(running|queued)=/ { s += $2 } END { print s + 0 }' "$file")
        [ "$busy" -eq 0 ] && break
        sleep 0.1
    done
    local name
    for name in filtered task task-keepalive task-stream; do
        local accepted rejected completed failed cancelled aborted shutdown running queued runs callbacks expected_runs
        accepted=$(stat_value "$name.accepted" "$file")
        rejected=$(stat_value "$name.rejected" "$file")
        completed=$(stat_value "$name.completed" "$file")
        failed=$(stat_value "$name.failed" "$file")
        cancelled=$(stat_value "$name.cancelled" "$file")
        aborted=$(stat_value "$name.aborted" "$file")
        shutdown=$(stat_value "$name.shutDown" "$file")
        running=$(stat_value "$name.running" "$file")
        queued=$(stat_value "$name.queued" "$file")
        runs=$(stat_value "$name.runs" "$file")
        callbacks=$(stat_value "$name.callbacks" "$file")
        expected_runs=$accepted
        if [ "$name" = filtered ]; then
            expected_runs=0 # no task there
        fi
        # A streamed response is still open while its task runs; when wrk stops (after the warm-up
        # and after the measured run) it closes connections in the middle of such responses: the
        # client is gone (aborted), and under the default abort policy (cancel) the exchange ends
        # CANCELLED, or COMPLETED when only the end of the response found the client gone. At most
        # CONNECTIONS per wrk run. Everywhere else no client may be gone and nothing cancelled.
        local may_cut=0
        if [ "$name" = task-stream ]; then
            may_cut=$((2 * CONNECTIONS))
        fi
        local verdict=ok
        if [ $((completed + cancelled)) -ne "$accepted" ] || [ "$aborted" -gt "$may_cut" ] \
            || [ "$cancelled" -gt "$aborted" ] || [ "$failed" -ne 0 ] || [ "$shutdown" -ne 0 ] \
            || [ "$running" -ne 0 ] || [ "$queued" -ne 0 ] || [ "$runs" -ne "$expected_runs" ] \
            || { [ "$name" != filtered ] && [ "$callbacks" -ne "$accepted" ]; }; then
            verdict=FAILED
            CHECKS_FAILED=1
        fi
        CHECKS+=("| $label | \`/$name\` | $accepted | $rejected | $completed | $failed | $cancelled ($aborted) | $runs | $callbacks | $running / $queued | $verdict |")
        if [ "$rejected" -ne 0 ]; then
            log "  note: $label /$name refused $rejected requests with 503 (admission limit)"
        fi
    done
}

CHECKS=()

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    log "warning: load average $LOAD_BEFORE on $(nproc) CPUs before the run; other work will skew the numbers"
fi
log "results in $OUT"
start_server container --executor=container
warm_up /plain /plain-close /filtered /task /task-keepalive /task-stream
measure container /plain "servlet alone"
measure container /plain-close "servlet alone, \`Connection: close\`"
measure container /filtered "behind the filter, no task"
measure container /task "filter + task + callback"
measure container /task-keepalive "filter + task + callback, \`connection-close=false\`"
measure container /task-stream "filter + task + callback, \`stream()\`"
check_stats container
stop_server

start_server dedicated --executor=dedicated
warm_up /plain /task /task-keepalive /task-stream
measure dedicated /plain "servlet alone"
measure dedicated /task "filter + task + callback"
measure dedicated /task-keepalive "filter + task + callback, \`connection-close=false\`"
measure dedicated /task-stream "filter + task + callback, \`stream()\`"
check_stats dedicated
stop_server
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

{
    echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency (after a warm-up round of ${WARMUP} per path); $(nproc) CPUs;" \
        "$(java -version 2>&1 | head -n 1); wrk $(wrk -v 2>&1 | awk 'NR == 1 { print $2 }');" \
        "load average before $LOAD_BEFORE, after $LOAD_AFTER"
    echo
    echo "| executor | path | what | requests/s | ratio to \`/plain\` | p50 ms | p99 ms | server CPU µs/request | requests | TCP connects (per request) | non-2xx | socket errors |"
    echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "Checks from \`/stats\` after each server's runs (warm-up included): every accepted exchange ended" \
        "completed — or, on \`/task-stream\` only, aborted (and possibly cancelled) because wrk closed its connections" \
        "in the middle of open responses when it stopped, at most $CONNECTIONS per wrk run —, ran its task once and" \
        "its callback once; none failed or is still queued or running. Refusals (503) are allowed and counted."
    echo
    echo "| executor | filter | accepted | rejected | completed | failed | cancelled (aborted) | task runs | callbacks | running / queued | check |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
    printf '%s\n' "${CHECKS[@]}"
} | tee "$OUT/results.md"

if [ "$CHECKS_FAILED" -ne 0 ]; then
    log "a /stats check FAILED; see $OUT/stats-*.txt"
    exit 1
fi
