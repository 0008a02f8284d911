#!/usr/bin/env bash
# Overhead benchmark of After Response on Jetty 12, Tomcat 11 and Undertow 2.3, with wrk: on each
# container, the same 200-byte servlet without the filter, behind it, and behind it with a trivial
# task, in both connection modes, with ratios to that container's bare servlet (of the same
# connection mode) in the same run.
#
#   bench/overhead.sh
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/overhead.sh     # the server on Java 25
#   DURATION=2s WARMUP=1s ROUNDS=1 CONTAINERS=tomcat bench/overhead.sh   # a quick smoke test
#
# Environment (defaults in brackets):
#   CONTAINERS [jetty tomcat undertow]  which containers, in this order
#   DURATION [10s]      per measured wrk run          WARMUP [5s]   per path, before measuring
#   ROUNDS [3]          measured rounds over all paths (see "Rounds" below)
#   THREADS [2], CONNECTIONS [32]   wrk -t / -c
#   JAVA [java]         the JVM that runs the server (Java 25: /usr/lib/jvm/temurin-25-jdk-amd64/bin/java);
#                       the jar is built by Maven with its own JDK (the default Java 17)
#   JAVA_OPTS []        JVM options of the server, e.g. -Xmx1g
#   SERVER_OPTS []      filter init-params for all filtered paths, e.g. "--executor=dedicated --max-running=1000"
#   MVN_FLAGS []        extra Maven flags for the build, e.g. -o
#   OUT [bench/target/overhead-<date>-<time>]
# A full run (3 containers, 6 paths, WARMUP 5s + 3 rounds of DURATION 10s) takes about 12 minutes.
#
# Per container: starts OverheadServer (bench/src/.../OverheadServer.java) on 127.0.0.1, a free port,
# by its PID; loads each path for WARMUP (JIT), unmeasured; measures each path with
# `wrk -t2 -c32 -dDURATION --latency`, reading before and after it the server's CPU time
# (/proc/<pid>/stat utime+stime), the TCP connections opened on the machine (ActiveOpens in
# /proc/net/snmp) and the server's GC pause total (/stats, from its GarbageCollectorMXBeans); waits
# until no exchange is queued or running and checks /stats; stops the server (SIGTERM, by PID; a
# trap does it on any exit).
#
# Paths: /plain (bare servlet), /plain-close (bare servlet setting Connection: close), /filtered
# (filter, no task), /filtered-close (filter, no task, in front of the servlet of /plain-close),
# /task (filter + trivial task + onComplete callback; the filter's default connection-close=true),
# /task-keepalive (the same with connection-close=false).
#
# Rounds: on a shared 2-CPU machine the throughput drifts by tens of percent over minutes, which
# would show up in ratios of paths measured minutes apart. So the paths are measured in ROUNDS rounds,
# forwards in odd rounds and backwards in even ones (ABCDEF FEDCBA ABCDEF: a linear drift hits every path
# alike), and each figure of the table is the median over the rounds (with 3 rounds one disturbed
# round is ignored; with 2 it is the mean). The ratio to /plain is that of the medians; the per-round
# ratios (each path over /plain of the same round) are listed beside it to show the spread.
#
# Targets (issue 10, shown in the "target" column, not checked): /filtered >= 0.95 x /plain,
# /filtered-close >= 0.95 x /plain-close (the filter without a task, in each connection mode), and
# /task >= 0.95 x /plain-close (the new TCP connection per request bounds both).
# Checks (exit 1 if one fails, after writing the results): per filter, /stats shows every accepted
# exchange completed (none failed, cancelled, aborted, shut down, still queued or running), the task
# and the callback ran once per accepted exchange (none on /filtered and /filtered-close); 503
# refusals are allowed and counted. Per path, the connection mode held: at least 0.9 TCP connects per
# request on /plain-close, /filtered-close and /task, at most 0.5 on the others (other processes on
# the machine can only add connects).
#
# Output in OUT: results.md (Markdown tables), overhead.csv (the table), runs.csv (every wrk run),
# checks.csv, servers.csv (GC totals, heap), overhead.png (grouped bars: ratio to /plain per path
# per container, and /filtered-close and /task over /plain-close; `gnuplot OUT/overhead.gp` redraws it from
# overhead-plot.dat), raw wrk outputs, /stats snapshots and server logs.
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh
CONTAINERS=${CONTAINERS:-jetty tomcat undertow}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
SERVER_OPTS=${SERVER_OPTS:-}
MVN_FLAGS=${MVN_FLAGS:-}
JAR=bench/target/after-response-bench.jar
MAIN=io.github.afterresponse.bench.OverheadServer
OUT=${OUT:-bench/target/overhead-$(date +%Y%m%d-%H%M%S)}
PATHS=(/plain /plain-close /filtered /filtered-close /task /task-keepalive)
FILTERS=(filtered filtered-close task task-keepalive)

# --- duration in seconds ("10s", "2m", "500ms" rounds up), for the timeouts ----------------------
seconds() {
    awk -v t="$1" 'BEGIN {
        n = t + 0; u = t; sub(/^[0-9.]+/, "", u)
        f = (u == "" || u == "s") ? 1 : (u == "ms") ? 0.001 : (u == "m") ? 60 : (u == "h") ? 3600 : -1
        if (f < 0 || n <= 0) { print "bad"; exit }
        s = n * f; printf "%d", (s == int(s)) ? s : int(s) + 1
    }'
}
DURATION_S=$(seconds "$DURATION")
WARMUP_S=$(seconds "$WARMUP")
for v in "DURATION=$DURATION_S" "WARMUP=$WARMUP_S"; do
    [ "${v#*=}" != bad ] || { log "${v%%=*} must look like 10s, 2m or 500ms"; exit 2; }
done
case $ROUNDS in '' | *[!0-9]* | 0) log "ROUNDS must be a positive integer"; exit 2 ;; esac

# --- server lifecycle ----------------------------------------------------------------------------
TIMEOUT_PID="" # the `timeout` that bounds the server
SERVER_PID=""  # the JVM itself (its child): CPU is read from its /proc entry
PORT=""

stop_server() {
    if [ -n "$TIMEOUT_PID" ]; then
        if kill -0 "$TIMEOUT_PID" 2>/dev/null; then
            # timeout passes SIGTERM on to the JVM, whose shutdown hook stops the container and the
            # filters (their shutdown grace: nothing is running by then).
            kill "$TIMEOUT_PID" 2>/dev/null || true
            for _ in $(seq 1 150); do
                kill -0 "$TIMEOUT_PID" 2>/dev/null || break
                sleep 0.1
            done
            if kill -0 "$TIMEOUT_PID" 2>/dev/null; then
                log "server $SERVER_PID did not stop in 15 s; killing it"
                [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null || true
                kill -9 "$TIMEOUT_PID" 2>/dev/null || true
            fi
        fi
        wait "$TIMEOUT_PID" 2>/dev/null || true
        TIMEOUT_PID=""
        SERVER_PID=""
    fi
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

# --- tools ---------------------------------------------------------------------------------------
install_missing wrk wrk
install_missing gnuplot gnuplot-nox
for tool in "$JAVA" curl mvn; do
    command -v "$tool" >/dev/null 2>&1 || { log "$tool is needed"; exit 2; }
done

# --- jar -----------------------------------------------------------------------------------------
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml core/pom.xml core/src bench/pom.xml bench/src -newer "$JAR" -print -quit)" ]; then
    log "building $JAR"
    # shellcheck disable=SC2086 # MVN_FLAGS is a list of words
    mvn -B -q $MVN_FLAGS -DskipTests -pl bench -am package >&2
fi

mkdir -p "$OUT"

# Bound on one server's life: warm-up, rounds, and generous slack for start, checks and stop.
SERVER_LIMIT=$(( ${#PATHS[@]} * (WARMUP_S + ROUNDS * DURATION_S) + 300 ))

start_server() { # container
    local container=$1
    local server_log="$OUT/server-$container.log"
    # shellcheck disable=SC2086 # JAVA_OPTS and SERVER_OPTS are lists of words
    timeout -k 10 "$SERVER_LIMIT" "$JAVA" $JAVA_OPTS -cp "$JAR" "$MAIN" --container="$container" $SERVER_OPTS \
        >"$server_log" 2>&1 &
    TIMEOUT_PID=$!
    SERVER_PID=""
    PORT=""
    for _ in $(seq 1 600); do
        [ -z "$SERVER_PID" ] && SERVER_PID=$(ps -o pid= --ppid "$TIMEOUT_PID" | tr -d ' ' | head -n 1)
        PORT=$(sed -n 's|^OverheadServer listening on http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$server_log")
        [ -n "$PORT" ] && [ -n "$SERVER_PID" ] && break
        if ! kill -0 "$TIMEOUT_PID" 2>/dev/null; then
            log "the $container server exited:"
            cat "$server_log" >&2
            TIMEOUT_PID=""
            exit 1
        fi
        sleep 0.1
    done
    if [ -z "$PORT" ] || [ -z "$SERVER_PID" ]; then
        log "the $container server did not print its port in 60 s:"
        cat "$server_log" >&2
        exit 1
    fi
    curl -fsS --max-time 5 "http://127.0.0.1:$PORT/stats" >"$OUT/stats-$container-start.txt"
    log "$(sed -n 's/^OverheadServer listening on \(.*\); paths.*/\1/p' "$server_log") (PID $SERVER_PID)"
}

# --- probes --------------------------------------------------------------------------------------
# TCP connections opened by this machine so far (ActiveOpens in /proc/net/snmp).
active_opens() {
    awk '$1 == "Tcp:" { if (!column) { for (i = 2; i <= NF; i++) if ($i == "ActiveOpens") column = i } else print $column }' /proc/net/snmp
}

CLK_TCK=$(getconf CLK_TCK)

# CPU time (user + system, clock ticks) the server JVM has used so far.

stat_value() { tr -d '\r' <"$2" | sed -n "s/^$1=//p"; } # key, /stats file

# wrk's time ("812.00us", "1.23ms", "2.01s") in milliseconds.
to_ms() {
    awk -v t="$1" 'BEGIN {
        n = t + 0; u = t; sub(/^[0-9.]+/, "", u)
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
        if (f < 0) print "?"; else printf "%.2f", n * f
    }'
}

# --- measuring -----------------------------------------------------------------------------------
warm_up() {
    local path
    for path in "${PATHS[@]}"; do
        timeout $((WARMUP_S + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout 5s \
            "http://127.0.0.1:$PORT$path" >"$OUT/warmup-$CONTAINER-${path#/}.txt"
    done
}

RUNS_CSV=$OUT/runs.csv
echo "container,round,path,requests_per_s,p50_ms,p99_ms,server_cpu_us_per_request,requests,tcp_connects,non_2xx,socket_errors,gc_pause_ms,gc_collections" >"$RUNS_CSV"

measure() { # round, path
    local round=$1 path=$2
    local file="$OUT/wrk-$CONTAINER-r$round-${path#/}.txt"
    local stats_before="$OUT/.stats-before" stats_after="$OUT/.stats-after"
    curl -fsS --max-time 5 "http://127.0.0.1:$PORT/stats" >"$stats_before"
    local before cpu_before cpu_after after
    before=$(active_opens)
    cpu_before=$(server_cpu_ticks)
    timeout $((DURATION_S + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 5s --latency \
        "http://127.0.0.1:$PORT$path" >"$file"
    cpu_after=$(server_cpu_ticks)
    after=$(active_opens)
    curl -fsS --max-time 5 "http://127.0.0.1:$PORT/stats" >"$stats_after"
    local rps p50 p99 requests non2xx errors connects cpu_us gc_ms gc_n
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$file")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$file")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$file")")
    requests=$(awk '/ requests in / { print $1 }' "$file")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$file")
    errors=$(sed -n 's/^ *Socket errors: //p' "$file" | tr -d ',')
    connects=$((after - before))
    # CPU of the whole server JVM (request threads, task threads, JIT, GC) per request: less
    # sensitive than requests/s to other work on the machine, which takes CPU but does not add to it.
    cpu_us=$(awk -v t=$((cpu_after - cpu_before)) -v hz="$CLK_TCK" -v n="$requests" \
        'BEGIN { if (n > 0) printf "%.1f", t * 1000000 / hz / n; else print "?" }')
    gc_ms=$(( $(stat_value gc.pauseMs "$stats_after") - $(stat_value gc.pauseMs "$stats_before") ))
    gc_n=$(( $(stat_value gc.collections "$stats_after") - $(stat_value gc.collections "$stats_before") ))
    echo "$CONTAINER,$round,$path,$rps,$p50,$p99,$cpu_us,$requests,$connects,${non2xx:-0},${errors:-none},$gc_ms,$gc_n" >>"$RUNS_CSV"
    log "  $CONTAINER r$round $path: $rps requests/s, p99 $p99 ms, server CPU $cpu_us us/request, $connects TCP connects, GC $gc_ms ms"
}

# --- checks --------------------------------------------------------------------------------------
CHECKS_CSV=$OUT/checks.csv
echo "container,filter,accepted,rejected,completed,failed,cancelled,aborted,timed_out,shut_down,running,queued,task_runs,callbacks,check" >"$CHECKS_CSV"
CHECKS_FAILED=0

check_stats() {
    local file="$OUT/stats-$CONTAINER-end.txt"
    for _ in $(seq 1 100); do
        curl -fsS --max-time 5 "http://127.0.0.1:$PORT/stats" >"$file"
        local busy
        busy=$(awk -F= '/\.(running|queued)=/ { s += $2 } END { print s + 0 }' "$file")
        [ "$busy" -eq 0 ] && break
        sleep 0.1
    done
    local name
    for name in "${FILTERS[@]}"; do
        local accepted rejected completed failed cancelled aborted timed_out shut_down running queued runs callbacks expected
        accepted=$(stat_value "$name.accepted" "$file")
        rejected=$(stat_value "$name.rejected" "$file")
        completed=$(stat_value "$name.completed" "$file")
        failed=$(stat_value "$name.failed" "$file")
        cancelled=$(stat_value "$name.cancelled" "$file")
        aborted=$(stat_value "$name.aborted" "$file")
        timed_out=$(stat_value "$name.timedOut" "$file")
        shut_down=$(stat_value "$name.shutDown" "$file")
        running=$(stat_value "$name.running" "$file")
        queued=$(stat_value "$name.queued" "$file")
        runs=$(stat_value "$name.runs" "$file")
        callbacks=$(stat_value "$name.callbacks" "$file")
        expected=$accepted
        case $name in filtered | filtered-close) expected=0 ;; esac # no task, no callback there
        local verdict=ok
        if [ "$accepted" -eq 0 ] || [ "$completed" -ne "$accepted" ] || [ "$failed" -ne 0 ] || [ "$cancelled" -ne 0 ] \
            || [ "$aborted" -ne 0 ] || [ "$timed_out" -ne 0 ] || [ "$shut_down" -ne 0 ] \
            || [ "$running" -ne 0 ] || [ "$queued" -ne 0 ] || [ "$runs" -ne "$expected" ] || [ "$callbacks" -ne "$expected" ]; then
            verdict=FAILED
            CHECKS_FAILED=1
            log "  CHECK FAILED: $CONTAINER /$name (see $file)"
        fi
        [ "$rejected" -ne 0 ] && log "  note: $CONTAINER /$name refused $rejected requests with 503 (admission limit)"
        echo "$CONTAINER,/$name,$accepted,$rejected,$completed,$failed,$cancelled,$aborted,$timed_out,$shut_down,$running,$queued,$runs,$callbacks,$verdict" >>"$CHECKS_CSV"
    done
}

# --- the run -------------------------------------------------------------------------------------
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    log "warning: load average $LOAD_BEFORE on $(nproc) CPUs before the run; other work will skew the numbers"
fi
log "results in $OUT"
VERSIONS=()
for CONTAINER in $CONTAINERS; do
    start_server "$CONTAINER"
    VERSIONS+=("$(stat_value container "$OUT/stats-$CONTAINER-start.txt")")
    log "  warming up ${#PATHS[@]} paths for $WARMUP each"
    warm_up
    for round in $(seq 1 "$ROUNDS"); do
        if [ $((round % 2)) -eq 1 ]; then
            order=("${PATHS[@]}")
        else
            order=()
            for ((i = ${#PATHS[@]} - 1; i >= 0; i--)); do order+=("${PATHS[$i]}"); done
        fi
        for path in "${order[@]}"; do
            measure "$round" "$path"
        done
    done
    check_stats
    stop_server
done
rm -f "$OUT/.stats-before" "$OUT/.stats-after"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- tables --------------------------------------------------------------------------------------
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "?"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_of() { # container, path, column number of runs.csv -> values, one a line, in round order
    awk -F, -v c="$1" -v p="$2" -v k="$3" 'NR > 1 && $1 == c && $3 == p { print $k }' "$RUNS_CSV"
}
sum_of() { column_of "$@" | awk '{ s += $1 } END { print s + 0 }'; }
what_of() {
    case $1 in
        /plain) echo "servlet alone" ;;
        /plain-close) echo "servlet alone, \`Connection: close\`" ;;
        /filtered) echo "filter, no task" ;;
        /filtered-close) echo "filter, no task, servlet sets \`Connection: close\`" ;;
        /task) echo "filter + task + callback (\`Connection: close\`)" ;;
        /task-keepalive) echo "filter + task + callback, \`connection-close=false\`" ;;
    esac
}
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { if (v == "?" || v == "") print "?"; else printf f, v }'; }

CSV=$OUT/overhead.csv
echo "container,version,path,requests_per_s_median,ratio_to_plain,per_round_ratios,ratio_to_plain_close,target,p50_ms_median,p99_ms_median,server_cpu_us_per_request_median,tcp_connects_per_request,gc_pause_ms_total,requests_total,non_2xx_total,socket_errors,mode_check" >"$CSV"
PLOT_DAT=$OUT/overhead-plot.dat
ROWS=()
TARGET_ROWS=()
index=0
for CONTAINER in $CONTAINERS; do
    version=${VERSIONS[$index]}
    index=$((index + 1))
    plain_rps=$(column_of "$CONTAINER" /plain 4 | median)
    close_rps=$(column_of "$CONTAINER" /plain-close 4 | median)
    mapfile -t plain_rounds < <(column_of "$CONTAINER" /plain 4)
    for path in "${PATHS[@]}"; do
        rps=$(column_of "$CONTAINER" "$path" 4 | median)
        ratio=$(awk -v r="$rps" -v b="$plain_rps" 'BEGIN { if (b > 0) printf "%.3f", r / b; else print "?" }')
        mapfile -t rounds < <(column_of "$CONTAINER" "$path" 4)
        per_round=""
        for ((i = 0; i < ${#rounds[@]}; i++)); do
            per_round+="${per_round:+ }$(awk -v r="${rounds[$i]}" -v b="${plain_rounds[$i]}" 'BEGIN { if (b > 0) printf "%.2f", r / b; else print "?" }')"
        done
        to_close=""
        target=""
        case $path in
            /filtered)
                target=$(awk -v x="$ratio" 'BEGIN { print (x >= 0.95) ? "met (>= 0.95 x /plain)" : "MISSED (>= 0.95 x /plain)" }') ;;
            /filtered-close | /task)
                to_close=$(awk -v r="$rps" -v b="$close_rps" 'BEGIN { if (b > 0) printf "%.3f", r / b; else print "?" }')
                target=$(awk -v x="$to_close" 'BEGIN { print (x >= 0.95) ? "met (>= 0.95 x /plain-close)" : "MISSED (>= 0.95 x /plain-close)" }') ;;
            /plain-close) to_close=1.000 ;;
        esac
        p50=$(column_of "$CONTAINER" "$path" 5 | median)
        p99=$(column_of "$CONTAINER" "$path" 6 | median)
        cpu=$(column_of "$CONTAINER" "$path" 7 | median)
        requests=$(sum_of "$CONTAINER" "$path" 8)
        connects=$(sum_of "$CONTAINER" "$path" 9)
        non2xx=$(sum_of "$CONTAINER" "$path" 10)
        errors=$(column_of "$CONTAINER" "$path" 11 | sort -u | paste -sd ';' -)
        gc_ms=$(sum_of "$CONTAINER" "$path" 12)
        per_request=$(awk -v c="$connects" -v n="$requests" 'BEGIN { if (n > 0) printf "%.2f", c / n; else print "?" }')
        mode=ok
        case $path in
            /plain-close | /filtered-close | /task) awk -v x="$per_request" 'BEGIN { exit !(x >= 0.9) }' || mode=FAILED ;;
            *) awk -v x="$per_request" 'BEGIN { exit !(x <= 0.5) }' || mode=FAILED ;;
        esac
        if [ "$mode" = FAILED ]; then
            CHECKS_FAILED=1
            log "  CHECK FAILED: $CONTAINER $path opened $per_request TCP connections per request"
        fi
        echo "$CONTAINER,$version,$path,$rps,$ratio,$per_round,$to_close,${target%% (*},$p50,$p99,$cpu,$per_request,$gc_ms,$requests,$non2xx,$errors,$mode" >>"$CSV"
        ROWS+=("| $CONTAINER | \`$path\` | $(what_of "$path") | $(fmt "$rps" %.0f) | $(fmt "$ratio" %.2f) | $per_round | $( [ -n "$to_close" ] && fmt "$to_close" %.2f || echo —) | $(fmt "$p50" %.2f) | $(fmt "$p99" %.2f) | $(fmt "$cpu" %.1f) | $per_request ($mode) | $gc_ms | $requests | $non2xx | $errors |")
        if [ -n "$target" ]; then
            if [ "$path" = /filtered ]; then
                TARGET_ROWS+=("| $CONTAINER | \`/filtered\` ÷ \`/plain\` | $(fmt "$ratio" %.2f) | $per_round | $target |")
            else
                per_round_close=""
                mapfile -t close_rounds < <(column_of "$CONTAINER" /plain-close 4)
                for ((i = 0; i < ${#rounds[@]}; i++)); do
                    per_round_close+="${per_round_close:+ }$(awk -v r="${rounds[$i]}" -v b="${close_rounds[$i]}" 'BEGIN { if (b > 0) printf "%.2f", r / b; else print "?" }')"
                done
                TARGET_ROWS+=("| $CONTAINER | \`$path\` ÷ \`/plain-close\` | $(fmt "$to_close" %.2f) | $per_round_close | $target |")
            fi
        fi
    done
done

SERVERS_CSV=$OUT/servers.csv
echo "container,version,gc_collections,gc_pause_ms,heap_used_bytes,heap_committed_bytes" >"$SERVERS_CSV"
index=0
for CONTAINER in $CONTAINERS; do
    end="$OUT/stats-$CONTAINER-end.txt"
    echo "$CONTAINER,${VERSIONS[$index]},$(stat_value gc.collections "$end"),$(stat_value gc.pauseMs "$end"),$(stat_value heap.usedBytes "$end"),$(stat_value heap.committedBytes "$end")" >>"$SERVERS_CSV"
    index=$((index + 1))
done

# --- plot ----------------------------------------------------------------------------------------
# Wide format for gnuplot's clustered histogram: one row per path, one column per container.
{
    printf 'path'
    for CONTAINER in $CONTAINERS; do printf '\t%s' "$CONTAINER"; done
    printf '\n'
    for path in "${PATHS[@]}" "/filtered-close ÷ /plain-close" "/task ÷ /plain-close"; do
        printf '"%s"' "$path"
        for CONTAINER in $CONTAINERS; do
            case $path in
                *" ÷ /plain-close") # column 7 of overhead.csv: the ratio to /plain-close
                    value=$(awk -F, -v c="$CONTAINER" -v p="${path%% ÷ *}" '$1 == c && $3 == p { print $7 }' "$CSV") ;;
                *) value=$(awk -F, -v c="$CONTAINER" -v p="$path" '$1 == c && $3 == p { print $5 }' "$CSV") ;;
            esac
            printf '\t%s' "${value:-0}"
        done
        printf '\n'
    done
} >"$PLOT_DAT"
NCONTAINERS=$(wc -w <<<"$CONTAINERS")
# Room above the highest bar for the key and its value label.
YMAX=$(awk -F'\t' 'NR > 1 { for (i = 2; i <= NF; i++) if ($i + 0 > m) m = $i + 0 } END { m *= 1.25; if (m < 1.35) m = 1.35; printf "%.2f", m }' "$PLOT_DAT")
JAVA_VERSION=$("$JAVA" -version 2>&1 | head -n 1 | sed 's/^[^"]*"\([^"]*\)".*/\1/')
cat >"$OUT/overhead.gp" <<EOF
# Redraws overhead.png from overhead-plot.dat: gnuplot $OUT/overhead.gp  (from the repository root)
set terminal pngcairo size 1300,560 font ",11"
set output "$OUT/overhead.png"
set title "After Response overhead: requests/s relative to the same container's bare servlet\n(wrk -t$THREADS -c$CONNECTIONS -d$DURATION, median of $ROUNDS round(s), server on Java $JAVA_VERSION)" noenhanced
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top right noenhanced autotitle columnheader
set ylabel "ratio of requests/s"
set yrange [0:$YMAX]
set grid ytics
set xtics noenhanced
set bmargin 4
n = $NCONTAINERS
# "/task ÷ /plain-close" on two lines, so that the long tic labels do not run into each other.
tic(s) = (p = strstrt(s, " ÷"), p > 0 ? s[1:p - 1] . "\\n" . s[p + 1:*] : s)
# Bar k (0-based) of cluster x sits at x + (k - (n - 1) / 2.0) / (n + 1) (gap 1).
plot for [i=2:n + 1] "$PLOT_DAT" using i:xtic(tic(strcol(1))) title columnheader(i), \\
     for [i=2:n + 1] "$PLOT_DAT" using (\$0 + (i - 2 - (n - 1) / 2.0) / (n + 1)):i:(sprintf("%.2f", column(i))) \\
         with labels offset 0,0.7 font ",8" notitle, \\
     0.95 with lines dashtype 2 linecolor rgb "#cc0000" title "target 0.95 (/filtered; /filtered-close, /task ÷ /plain-close)"
EOF
gnuplot "$OUT/overhead.gp" || { log "gnuplot failed"; CHECKS_FAILED=1; }

# --- results.md ----------------------------------------------------------------------------------
{
    echo "# Overhead on Jetty, Tomcat and Undertow"
    echo
    echo "\`bench/overhead.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?');" \
        "$(nproc) CPUs; server on \`$("$JAVA" -version 2>&1 | head -n 1)\`${JAVA_OPTS:+ with \`$JAVA_OPTS\`};" \
        "$(IFS=,; echo "${VERSIONS[*]}" | sed 's/,/, /g'); wrk $(wrk -v 2>&1 | awk 'NR == 1 { print $2 }')" \
        "\`-t$THREADS -c$CONNECTIONS -d$DURATION --latency\` after a warm-up of $WARMUP per path;" \
        "$ROUNDS round(s) per path, alternately forwards and backwards; figures are medians over the rounds." \
        "Filter init-params: ${SERVER_OPTS:-the defaults}. Load average before $LOAD_BEFORE, after $LOAD_AFTER."
    echo
    echo "## Targets (issue 10)"
    echo
    echo "| container | ratio | median | per round | target |"
    echo "|---|---|---:|---|---|"
    printf '%s\n' "${TARGET_ROWS[@]}"
    echo
    echo "## Per path"
    echo
    echo "Ratios are requests/s over the same container's \`/plain\` (medians), and for the \`Connection: close\`" \
        "paths over its \`/plain-close\`. *per round*: each round's ratio to \`/plain\` of that round." \
        "*server CPU*: user + system time of the whole server JVM per request. *TCP connects*: connections" \
        "opened on the machine per request (1 = a new connection per request); \`ok\` when the connection" \
        "mode held. *GC pause*: total over the measured runs, from the server's GarbageCollectorMXBeans."
    echo
    echo "| container | path | what | requests/s | ratio to \`/plain\` | per round | ratio to \`/plain-close\` | p50 ms | p99 ms | server CPU µs/request | TCP connects per request | GC pause ms | requests | non-2xx | socket errors |"
    echo "|---|---|---|---:|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "## Checks from \`/stats\`"
    echo
    echo "After each container's runs (warm-up included): every accepted exchange completed (none failed," \
        "cancelled, aborted, timed out, shut down, queued or running) and ran its task and its callback once" \
        "(\`/filtered\` and \`/filtered-close\` have neither). Refusals (503) are allowed and counted."
    echo
    echo "| container | filter | accepted | rejected | completed | failed | cancelled | aborted | task runs | callbacks | running / queued | check |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
    awk -F, 'NR > 1 { printf "| %s | `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $13, $14, $11, $12, $15 }' "$CHECKS_CSV"
    echo
    echo "## Servers"
    echo
    echo "From \`/stats\` at the end of each container's runs: GC totals over the server's whole life (start-up" \
        "and warm-up included; the per-path GC column above counts the measured runs only) and the heap in use."
    echo
    echo "| container | version | GC collections | GC pause ms | heap used MiB | heap committed MiB |"
    echo "|---|---|---:|---:|---:|---:|"
    awk -F, 'NR > 1 { printf "| %s | %s | %s | %s | %.1f | %.1f |\n", $1, $2, $3, $4, $5 / 1048576, $6 / 1048576 }' "$SERVERS_CSV"
    echo
    echo "![requests/s ratios](overhead.png)"
} >"$OUT/results.md"
cat "$OUT/results.md"

if [ "$CHECKS_FAILED" -ne 0 ]; then
    log "a check FAILED; see $OUT"
    exit 1
fi
log "done: $OUT/results.md, $OUT/overhead.png"
