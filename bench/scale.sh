#!/usr/bin/env bash
# Scale test of After Response: how many background tasks one JVM holds at once, and what each
# in-flight exchange keeps on the heap (issue 10: ">= 100,000 concurrent background tasks at -Xmx1g
# on virtual threads, heap per in-flight exchange <= 2 KB plus its snapshot").
#
#   bench/scale.sh
#
# Per scenario: starts ScaleServer (embedded Jetty 12, one servlet behind AfterResponseFilter with
# connection-close=false and max-running=N; each request is answered at once and registers one
# task that reads one snapshot value and waits on a gate), sends a warm-up round of N requests
# whose tasks end at once, takes a class histogram (jcmd GC.class_histogram, a full GC) and the
# heap used after System.gc(); closes the gate, sends N requests with ScaleClient (a separate JVM,
# CONNECTIONS kept-alive connections), waits until the monitor says N running, takes the same
# figures again, plus threads and RSS; opens the gate, waits until nothing runs, and checks that
# every task and callback ran. Heap per in-flight exchange = (live bytes with N in flight - live
# bytes before) / N, with the top classes of that difference.
#
# Scenarios (defaults in brackets):
#   vt           VT_JAVA, -Xmx$XMX, executor VT_EXECUTOR [virtual], N = VT_N [100000]
#   vt-capture   the same, with a task that captures the servlet's request and response objects
#   platform-N   PT_JAVA, -Xmx$XMX, executor PT_EXECUTOR [platform], N in PT_NS [2000 10000]
#                (executor=platform also gets init-param threads=N: one platform thread per task)
#
# Environment: SCENARIOS [vt vt-capture platform] which of them; VT_JAVA [Temurin 25's java];
# PT_JAVA [java, Java 17 here: its dedicated executor is platform threads]; XMX [1g];
# CONNECTIONS [256]; SERVER_OPTS [none] more JVM options for the server; TIMEOUT [300] seconds for
# each wait; OUT [bench/target/scale-<date>-<time>].
#
# Output in OUT: results.md (tables), results.csv, classes-<scenario>.csv (every class's
# difference), hist-<scenario>-{before,during}.txt, heap-*.txt, stats-*.txt, client-*.txt,
# server-*.log; scale.png (bytes per exchange per scenario) and scale-<scenario>.png (by class). Exits 1 if a scenario fails.
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh
VT_JAVA=${VT_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
PT_JAVA=${PT_JAVA:-java}
VT_EXECUTOR=${VT_EXECUTOR:-virtual}
VT_N=${VT_N:-100000}
PT_EXECUTOR=${PT_EXECUTOR:-platform}
PT_NS=${PT_NS:-2000 10000}
SCENARIOS=${SCENARIOS:-vt vt-capture platform}
XMX=${XMX:-1g}
CONNECTIONS=${CONNECTIONS:-256}
SERVER_OPTS=${SERVER_OPTS:-}
TIMEOUT=${TIMEOUT:-300}
JAR=bench/target/after-response-bench.jar
OUT=${OUT:-bench/target/scale-$(date +%Y%m%d-%H%M%S)}
TOP=20

SERVER_PID=""
PORT=""
FAILED=0

stop_server() {
    # The shutdown hook opens the gate and stops Jetty and the filter.
    stop_pid "$SERVER_PID" 30 ScaleServer
    SERVER_PID=""
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

install_missing gnuplot gnuplot-nox
install_missing curl curl
for java in "$VT_JAVA" "$PT_JAVA"; do
    command -v "$java" >/dev/null 2>&1 || { log "$java not found"; exit 2; }
done

if [ ! -f "$JAR" ] || [ -n "$(find pom.xml core/pom.xml core/src bench/pom.xml bench/src -newer "$JAR" -print -quit)" ]; then
    log "building $JAR"
    # Removed first: the shaded jar replaces the module's own, and a build that does not recreate
    # that would shade the old jar's classes (core's too) over the fresh ones.
    rm -f "$JAR"
    mvn -B -q -DskipTests -pl bench -am package >&2
fi
mkdir -p "$OUT"
log "results in $OUT"

# The jcmd of the JDK a java binary belongs to.
jcmd_of() { echo "$(dirname "$(readlink -f "$(command -v "$1")")")/jcmd"; }

url() { echo "http://127.0.0.1:$PORT$1"; }
stat_of() { sed -n "s/^$1=//p" "$2"; }
proc_status() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SERVER_PID/status"; }

server_alive() {
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        log "ScaleServer $SERVER_PID has exited; the end of its log:"
        tail -20 "$SERVER_LOG" >&2
        SERVER_PID=""
        return 1
    fi
}

start_server() { # label java options...
    local label=$1 java=$2
    shift 2
    SERVER_LOG="$OUT/server-$label.log"
    # shellcheck disable=SC2086 # SERVER_OPTS is a list of words
    "$java" -Xmx"$XMX" $SERVER_OPTS -cp "$JAR" io.github.afterresponse.bench.ScaleServer --port=0 "$@" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    PORT=""
    for _ in $(seq 1 300); do
        PORT=$(sed -n 's|^ScaleServer listening on http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$SERVER_LOG")
        [ -n "$PORT" ] && break
        server_alive || return 1
        sleep 0.1
    done
    [ -n "$PORT" ] || { log "ScaleServer did not print its port in 30 s"; return 1; }
    log "  ScaleServer ($label, PID $SERVER_PID) on 127.0.0.1:$PORT: $(sed -n 's/^ScaleServer listening on [^ ]* //p' "$SERVER_LOG")"
}

# Polls /stats into FILE until the awk condition holds on it; fails after TIMEOUT seconds.
wait_for() { # file condition-description awk-condition
    local file=$1 what=$2 condition=$3 deadline=$((SECONDS + TIMEOUT))
    while :; do
        server_alive || return 1
        if curl -fsS --max-time 30 "$(url /stats)" >"$file" 2>/dev/null \
            && awk -F= '{ v[$1] = $2 } END { exit !('"$condition"') }' "$file"; then
            return 0
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "  gave up waiting for $what after ${TIMEOUT}s: $(tr '\n' ' ' <"$file")"
            return 1
        fi
        sleep 0.5
    done
}

client() { # label java requests
    local label=$1 java=$2 requests=$3 file="$OUT/client-$1.txt"
    timeout --kill-after=5 "$TIMEOUT" "$java" -Xmx256m -cp "$JAR" io.github.afterresponse.bench.ScaleClient \
        --port="$PORT" --requests="$requests" --connections="$CONNECTIONS" >"$file" 2>&1 || true
    cat "$file" >&2
}

# Live heap figures now: class histogram (forces a full GC), heap_info, and /stats after System.gc().
snapshot_heap() { # label phase java
    local label=$1 phase=$2 jcmd
    jcmd=$(jcmd_of "$3")
    timeout 120 "$jcmd" "$SERVER_PID" GC.class_histogram >"$OUT/hist-$label-$phase.txt"
    timeout 60 "$jcmd" "$SERVER_PID" GC.heap_info >"$OUT/heap-$label-$phase.txt"
    curl -fsS --max-time 60 "$(url '/stats?gc=true')" >"$OUT/stats-$label-$phase.txt"
    echo "rss_kb=$(proc_status VmRSS)" >>"$OUT/stats-$label-$phase.txt"
    echo "os_threads=$(proc_status Threads)" >>"$OUT/stats-$label-$phase.txt"
}

# Live bytes of a histogram: every class but G1's filler arrays (jdk.internal.vm.FillerElement[],
# dead space it formats as objects, not anything live).
hist_total() { awk '$1 ~ /^[0-9]+:$/ && $4 !~ /FillerElement/ { s += $3 } END { printf "%d\n", s }' "$1"; }

# The classes' differences in groups, bytes per exchange: the thread that runs the task, the test's
# gate (the waiting task's queue node), the container's objects, the toolkit's, and the JDK's data
# (strings, arrays, maps, lists, instants: mostly the snapshot's copy of the request).
group_of='function group(c) {
    if (c ~ /FillerElement/) return "";
    if (c ~ /^jdk\.internal\.vm\.(StackChunk|Continuation)|^java\.lang\.(VirtualThread|Thread|ThreadGroup|ThreadLocal)|^java\.util\.concurrent\.(ThreadPerTaskExecutor|ThreadPoolExecutor|ForkJoin)|^jdk\.internal\.misc\.CarrierThread/) return "thread";
    if (c ~ /^java\.util\.concurrent\.locks\.AbstractQueuedSynchronizer/) return "gate";
    if (c ~ /org\.eclipse\.jetty\./) return "container";
    if (c ~ /io\.github\.afterresponse\./) return "toolkit";
    return "jdk";
}'
hist_groups() { # classes.csv n -> "thread gate container toolkit jdk" bytes per exchange
    awk -F, -v n="$2" "$group_of"' { g = group($1); if (g != "") b[g] += $3 }
        END { printf "%.0f %.0f %.0f %.0f %.0f\n", b["thread"] / n, b["gate"] / n, b["container"] / n, b["toolkit"] / n, b["jdk"] / n }' "$1"
}

# Every class's difference between two histograms, biggest growth first: class,dinstances,dbytes.
hist_delta() { # before during
    awk '$1 ~ /^[0-9]+:$/ { key = $4; if (FILENAME == ARGV[1]) { bi[key] += $2; bb[key] += $3 } else { di[key] += $2; db[key] += $3 }; seen[key] = 1 }
        END { for (k in seen) printf "%s,%d,%d\n", k, di[k] - bi[k], db[k] - bb[k] }' "$1" "$2" | sort -t, -k3,3nr
}

ROWS=()
CLASS_TABLES=()
PLOT_ROWS=()

run_scenario() { # label java executor n capture [more server options]
    local label=$1 java=$2 executor=$3 n=$4 capture=$5
    shift 5
    log "scenario $label: $java, -Xmx$XMX, executor=$executor, N=$n, capture=$capture"
    local started=$SECONDS verdict=ok note=""
    local init=(--executor="$executor" --max-running="$n" --capture="$capture" "$@")
    start_server "$label" "$java" "${init[@]}" || { ROWS+=("| $label | – | $XMX | $executor | $n | did not start | | | | | | | | | | FAILED |"); return 1; }
    # Before any request: the executor's platform threads, if any, are started by the warm-up.
    { echo "rss_kb=$(proc_status VmRSS)"; echo "os_threads=$(proc_status Threads)"; } >"$OUT/stats-$label-start.txt"

    # Warm-up: the same requests, with the gate open so their tasks end at once.
    client "$label-warmup" "$java" "$n"
    wait_for "$OUT/stats-$label-warm.txt" "the warm-up to end" \
        "v[\"running\"] == 0 && v[\"queued\"] == 0 && v[\"callbacks\"] == v[\"accepted\"]" || verdict=FAILED
    [ "$verdict" = ok ] && snapshot_heap "$label" before "$java"
    local warm_accepted
    warm_accepted=$(stat_of accepted "$OUT/stats-$label-warm.txt")

    # Load: close the gate, N requests, each answered at once while its task waits.
    local load_ms="" in_flight="" rejected=""
    if [ "$verdict" = ok ]; then
        curl -fsS --max-time 10 "$(url /arm)" >/dev/null
        client "$label-load" "$java" "$n"
        load_ms=$(sed -n 's/.* millis=\([0-9]*\).*/\1/p' "$OUT/client-$label-load.txt")
        if ! grep -q " ok=$n " "$OUT/client-$label-load.txt"; then
            verdict=FAILED
            note="not every request got its 200 (client-$label-load.txt)"
        fi
        if ! wait_for "$OUT/stats-$label-load.txt" "$n tasks running" "v[\"running\"] >= $n"; then
            verdict=FAILED
            note="running $(stat_of running "$OUT/stats-$label-load.txt" 2>/dev/null || echo '?') of $n"
        fi
    fi
    if [ "$verdict" = ok ]; then
        snapshot_heap "$label" during "$java" || verdict=FAILED
        in_flight=$(stat_of running "$OUT/stats-$label-during.txt")
        rejected=$(stat_of rejected "$OUT/stats-$label-during.txt")
    fi

    # Release: every task ends, and every callback runs.
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        curl -fsS --max-time 10 "$(url /release)" >/dev/null || true
        wait_for "$OUT/stats-$label-after.txt" "every task to end" \
            "v[\"running\"] == 0 && v[\"queued\"] == 0" || verdict=FAILED
    fi
    local after="$OUT/stats-$label-after.txt" checks="?"
    if [ -s "$after" ]; then
        local accepted completed callbacks runs failed
        accepted=$(stat_of accepted "$after"); completed=$(stat_of completed "$after")
        callbacks=$(stat_of callbacks "$after"); runs=$(stat_of runs "$after"); failed=$(stat_of failed "$after")
        checks="$callbacks/$accepted callbacks, $runs tasks, $failed failed"
        if [ "$accepted" -ne $((warm_accepted + n)) ] || [ "$completed" -ne "$accepted" ] \
            || [ "$callbacks" -ne "$accepted" ] || [ "$runs" -ne "$accepted" ] || [ "$failed" -ne 0 ]; then
            verdict=FAILED
        fi
    fi
    stop_server

    if [ -s "$OUT/hist-$label-during.txt" ]; then
        local before_total during_total per_exchange heap_before heap_during per_exchange_gc
        before_total=$(hist_total "$OUT/hist-$label-before.txt")
        during_total=$(hist_total "$OUT/hist-$label-during.txt")
        per_exchange=$(((during_total - before_total) / n))
        heap_before=$(stat_of heapUsed "$OUT/stats-$label-before.txt")
        heap_during=$(stat_of heapUsed "$OUT/stats-$label-during.txt")
        per_exchange_gc=$(((heap_during - heap_before) / n))
        hist_delta "$OUT/hist-$label-before.txt" "$OUT/hist-$label-during.txt" >"$OUT/classes-$label.csv"
        local g_thread g_gate g_container g_toolkit g_jdk
        read -r g_thread g_gate g_container g_toolkit g_jdk <<<"$(hist_groups "$OUT/classes-$label.csv" "$n")"
        local without_thread=$((per_exchange - g_thread - g_gate))
        local threads_before threads_during rss_before rss_during jthreads
        threads_during=$(stat_of os_threads "$OUT/stats-$label-during.txt")
        threads_before=$(stat_of os_threads "$OUT/stats-$label-start.txt")
        jthreads=$(stat_of threads "$OUT/stats-$label-during.txt")
        local rss_start
        rss_start=$(stat_of rss_kb "$OUT/stats-$label-start.txt")
        rss_before=$(stat_of rss_kb "$OUT/stats-$label-before.txt")
        rss_during=$(stat_of rss_kb "$OUT/stats-$label-during.txt")
        local mb='{ printf "%.1f", $1 / 1048576 }'
        ROWS+=("| $label | $("$java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p') | $XMX | $executor | $n | $in_flight | $rejected | $load_ms | $(echo "$before_total" | awk "$mb") → $(echo "$during_total" | awk "$mb") | **$per_exchange** | $without_thread | $per_exchange_gc | $threads_before → $threads_during ($jthreads) | $((rss_start / 1024)) → $((rss_before / 1024)) → $((rss_during / 1024)) | $checks | $verdict $note |")
        echo "$label,$executor,$n,$in_flight,$rejected,$load_ms,$before_total,$during_total,$per_exchange,$without_thread,$g_thread,$g_gate,$g_container,$g_toolkit,$g_jdk,$per_exchange_gc,$threads_before,$threads_during,$rss_start,$rss_before,$rss_during,$verdict" >>"$OUT/results.csv"
        local table="### $label: what $n exchanges in flight added, per exchange"$'\n\n'
        table+="| thread (stack chunk, thread objects) | the test's gate (queue node) | container (Jetty) | toolkit (io.github.afterresponse) | JDK data (strings, arrays, maps: mostly the snapshot) | all |"$'\n'
        table+="|---|---|---|---|---|---|"$'\n'"| $g_thread | $g_gate | $g_container | $g_toolkit | $g_jdk | $per_exchange |"$'\n\n'
        table+="Top $TOP classes:"$'\n\n'
        table+="| class | instances added | bytes added | instances / exchange | bytes / exchange |"$'\n'"|---|---|---|---|---|"$'\n'
        table+=$(head -"$TOP" "$OUT/classes-$label.csv" | awk -F, -v n="$n" '{ printf "| `%s` | %d | %d | %.2f | %.1f |\n", $1, $2, $3, $2 / n, $3 / n }')
        table+=$'\n'"| all classes | | $((during_total - before_total)) | | $per_exchange |"
        CLASS_TABLES+=("$table")
        head -12 "$OUT/classes-$label.csv" | awk -F, -v n="$n" '{ c = $1; array = ""; if (c ~ /^\[L/) { c = substr(c, 3); sub(/;$/, "", c); array = "[]" }
            sub(/^.*\./, "", c); c = c array; printf "\"%s\" %.1f\n", c, $3 / n }' >"$OUT/plot-$label.dat"
        echo "\"$label\" $per_exchange" >>"$OUT/plot-summary.dat"
        log "  $label: $per_exchange bytes per in-flight exchange (histogram), $per_exchange_gc (heap after GC); $verdict $note ($((SECONDS - started))s)"
    else
        ROWS+=("| $label | | $XMX | $executor | $n | ${in_flight:-–} | ${rejected:-–} | ${load_ms:-–} | – | – | – | – | – | – | $checks | $verdict $note |")
        echo "$label,$executor,$n,,,,,,,,,,,,,,,,,,,$verdict" >>"$OUT/results.csv"
        log "  $label: $verdict $note ($((SECONDS - started))s)"
    fi
    [ "$verdict" = ok ]
}

echo "scenario,executor,n,in_flight,rejected,load_ms,live_before_b,live_during_b,bytes_per_exchange,without_thread_b,thread_b,gate_b,container_b,toolkit_b,jdk_b,bytes_per_exchange_gc,os_threads_start,os_threads_during,rss_start_kb,rss_before_kb,rss_during_kb,verdict" >"$OUT/results.csv"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$SECONDS
for scenario in $SCENARIOS; do
    case "$scenario" in
        vt) run_scenario vt "$VT_JAVA" "$VT_EXECUTOR" "$VT_N" false || FAILED=1 ;;
        vt-capture) run_scenario vt-capture "$VT_JAVA" "$VT_EXECUTOR" "$VT_N" true || FAILED=1 ;;
        platform)
            for n in $PT_NS; do
                extra=()
                if [ "$PT_EXECUTOR" = platform ]; then
                    extra=(--init.threads="$n")
                fi
                run_scenario "platform-$n" "$PT_JAVA" "$PT_EXECUTOR" "$n" false "${extra[@]}" || FAILED=1
            done
            ;;
        *) log "unknown scenario '$scenario' (vt, vt-capture, platform)"; exit 2 ;;
    esac
done
ELAPSED=$((SECONDS - STARTED))

{
    echo "# Scale: background tasks in flight in one JVM"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ); $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)); load average $LOAD_BEFORE before; ${ELAPSED}s."
    echo "Server: ScaleServer (embedded Jetty 12.1, one servlet behind AfterResponseFilter, connection-close=false,"
    echo "max-running = N), \`-Xmx$XMX\` ${SERVER_OPTS:+\`$SERVER_OPTS\` }and otherwise the JVM's defaults (G1). Client: ScaleClient, another JVM, $CONNECTIONS kept-alive"
    echo "connections. Each task reads one value of its snapshot and waits on a gate; with *capture* it also holds the"
    echo "servlet's request and response objects (it uses neither)."
    echo
    echo "*Live* is the class histogram's total after its full GC (jcmd GC.class_histogram), before the load (after"
    echo "a warm-up round of the same requests) and with N exchanges in flight; **bytes per exchange** is their"
    echo "difference over N (G1's filler arrays left out); *without its thread* leaves out the thread that runs the"
    echo "task (a virtual thread's stack chunk and objects; a platform thread's stack is native memory, not in the"
    echo "heap) and the test's gate; *(after System.gc)* is the same from heap used after System.gc(). Threads are the"
    echo "process's OS threads from /proc at start-up and with N in flight (in brackets the JVM's platform threads then;"
    echo "virtual threads are in neither). RSS is VmRSS in MiB at start-up, after the warm-up, and with N in flight (a"
    echo "fixed pool of platform threads is started by the warm-up). The last check: after the gate opened, every task"
    echo "ran and every callback was called."
    echo
    echo "| scenario | JDK | -Xmx | executor | N | in flight | rejected | load ms | live MiB | bytes per exchange | without its thread | (after System.gc) | threads | RSS MiB | callbacks | verdict |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    for table in "${CLASS_TABLES[@]}"; do
        echo
        echo "$table"
    done
    echo
    echo "Reproduce: \`bench/scale.sh\` (environment as in its header). Raw: hist-*.txt (histograms), classes-*.csv"
    echo "(every class's difference), stats-*.txt, client-*.txt, server-*.log."
} >"$OUT/results.md"

# Plots: bytes per in-flight exchange per scenario, and per class for each scenario.
bars() { # data output title
    gnuplot <<EOF
set terminal pngcairo size 1000,560 noenhanced
set output "$2"
set title "$3"
set style fill solid 0.8 border -1
set boxwidth 0.6
set ylabel "bytes per in-flight exchange"
set yrange [0:*]
set grid y
set xtics rotate by -30
set bmargin 7
plot "$1" using 0:2:xtic(1) with boxes notitle lc rgb "#4477aa", "" using 0:2:(sprintf("%.0f", \$2)) with labels offset 0,0.7 notitle
EOF
}
if [ -s "$OUT/plot-summary.dat" ]; then
    bars "$OUT/plot-summary.dat" "$OUT/scale.png" "Heap per in-flight exchange, -Xmx$XMX ($(basename "$OUT"))"
fi
for data in "$OUT"/plot-*.dat; do
    [ -s "$data" ] || continue
    label=$(basename "$data" .dat)
    label=${label#plot-}
    [ "$label" = summary ] && continue
    bars "$data" "$OUT/scale-$label.png" "$label: bytes per in-flight exchange by class, top 12 ($(basename "$OUT"))"
done
rm -f "$OUT"/plot-*.dat

cat "$OUT/results.md"
exit "$FAILED"
