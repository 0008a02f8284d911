#!/usr/bin/env bash
# Background-work sweep (issue 10): requests whose work is a sleep of W ms, done in the request
# (/sync), by a servlet's own virtual-thread executor (/handrolled), and by After Response with each
# executor (/container, /platform, /virtual, /virtual-close), with /plain-close as the control for
# Connection: close; for each W, the same wrk load on every path of one embedded Jetty 12 server
# (io.github.afterresponse.bench.SweepServer) on Java 21+, so that the ratios compare within a run.
#
#   bench/background.sh
#   DURATION=2s WARMUP=1s WS="0 50" bench/background.sh          # a smoke test (about 1 minute)
#   PATHS="/container /qtp /fixed8" WS=0 SERVER_OPTS=--trace-gaps bench/background.sh
#
# With the defaults it takes about 12 minutes: 28 runs of 5 s + 10 s, plus the waits for background
# work to end (about 3 minutes at W = 5000 for /container, whose 8 threads work off 264 tasks).
#
# Environment (defaults in brackets):
#   WS ["0 50 500 5000"]  the W values, in ms
#   PATHS [the server's sweep paths]  e.g. "/handrolled /virtual"; also /qtp, /fixed8, /asyncstart
#         (see SweepServer and bench/container-p99.sh, which uses them)
#   DURATION [10s]  measured wrk run per path and W;  WARMUP [5s]  wrk run right before it, unmeasured
#   THREADS [2], CONNECTIONS [32]  wrk's -t and -c
#   JAVA [JAVA_HOME/bin/java if that is Java 21+, else /usr/lib/jvm/temurin-25-jdk-amd64/bin/java]
#   JAVA_OPTS [none]  e.g. -Xmx1g;  SERVER_OPTS [none]  SweepServer options, e.g. --qtp-max=400 --trace-gaps
#   DRAIN_MAX [40 * W + 30 s]  how long to wait, after a path, for its background work to end
#   OUT [bench/target/background-<date>-<time>]
#
# Per W and path: wrk WARMUP (unmeasured; the measured run follows at once, so it meets the steady
# state — at W = 5000 the warm-up's tasks are still in flight), then /stats?reset=1, server CPU
# (/proc/<pid>/stat) and GC totals (/stats) before and after `wrk --latency -s bench/latency.lua`
# (p99.9 comes from the Lua done()), then a wait until /stats says no background work is queued or
# running on any path (bounded by DRAIN_MAX), so that one path's tasks do not load the next.
# Writes results.md (a table per W), results.csv, latency-vs-w.png, throughput-vs-w.png (plots.gp:
# `gnuplot plots.gp` in OUT redraws them from results.csv), and the raw wrk outputs and /stats.
# results.csv has more columns than the tables: wrk's req/s with the 503s, max latency, heap, peak
# platform threads, jobs handed to Jetty's pool per request, and, with SERVER_OPTS=--trace-gaps,
# the per-connection traces (see Probe).
# Installs wrk and gnuplot with apt-get when missing; builds the bench jar when missing or stale.
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh
WS=${WS:-"0 50 500 5000"}
PATHS=${PATHS:-}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
JAVA_OPTS=${JAVA_OPTS:-}
SERVER_OPTS=${SERVER_OPTS:-}
DRAIN_MAX=${DRAIN_MAX:-}
JAR=bench/target/after-response-bench.jar
LUA=bench/latency.lua
OUT=${OUT:-bench/target/background-$(date +%Y%m%d-%H%M%S)}

SERVER_PID=""
PORT=""

stop_server() {
    # The shutdown hook stops Jetty; the filters give running work up to 30 s.
    stop_pid "$SERVER_PID" 45 SweepServer
    SERVER_PID=""
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

# --- tools -------------------------------------------------------------------------------------
install_missing wrk wrk
install_missing gnuplot gnuplot-nox
command -v curl >/dev/null 2>&1 || { log "curl is needed"; exit 2; }

java_feature() { # java binary → its feature version (17, 21, 25), or 0
    "$1" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1 | grep . || echo 0
}
if [ -z "${JAVA:-}" ]; then
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_feature "$JAVA_HOME/bin/java")" -ge 21 ]; then
        JAVA=$JAVA_HOME/bin/java
    else
        JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
    fi
fi
if [ ! -x "$JAVA" ] || [ "$(java_feature "$JAVA")" -lt 21 ]; then
    log "the sweep needs Java 21+ (virtual threads); JAVA=$JAVA is not; set JAVA or JAVA_HOME"
    exit 2
fi

# --- jar ---------------------------------------------------------------------------------------
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml core/pom.xml core/src bench/pom.xml bench/src -newer "$JAR" -print -quit)" ]; then
    log "building $JAR (with the default Java; the code compiles for 17)"
    mvn -B -q -DskipTests -pl bench -am package >&2
fi

mkdir -p "$OUT"
log "results in $OUT"

# --- server ------------------------------------------------------------------------------------
SERVER_LOG="$OUT/server.log"
# shellcheck disable=SC2086 # JAVA_OPTS and SERVER_OPTS are lists of words
"$JAVA" $JAVA_OPTS -cp "$JAR" io.github.afterresponse.bench.SweepServer --port=0 $SERVER_OPTS >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
    PORT=$(sed -n 's|^SweepServer listening on http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$SERVER_LOG")
    [ -n "$PORT" ] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        log "SweepServer exited:"
        cat "$SERVER_LOG" >&2
        SERVER_PID=""
        exit 1
    fi
    sleep 0.1
done
[ -n "$PORT" ] || { log "SweepServer did not print its port in 30 s:"; cat "$SERVER_LOG" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"
curl -fsS --max-time 5 "$BASE/stats" >"$OUT/stats-start.txt"
log "SweepServer (PID $SERVER_PID, $("$JAVA" -version 2>&1 | head -n 1)) on 127.0.0.1:$PORT"

stat_value() { sed -n "s/^$1=//p" "$2" | head -n 1; } # key, file
[ -n "$PATHS" ] || PATHS=$(stat_value sweep.paths "$OUT/stats-start.txt")

CLK_TCK=$(getconf CLK_TCK)
# Voluntary context switches of all the server's threads so far: a thread parks to wait for a
# hand-off (work, a dispatch, the selector), so more of them per request means more hand-offs
# between threads. Threads that ended meanwhile are not counted.
server_switches() {
    cat /proc/"$SERVER_PID"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches:/ { s += $2 } END { print s + 0 }'
}
seconds() { # "10s", "2m", "500ms", "3" → seconds (integer, at least 1)
    awk -v t="$1" 'BEGIN { n = t + 0; u = t; sub(/^[0-9.]+/, "", u)
        f = (u == "ms") ? 0.001 : (u == "m") ? 60 : (u == "h") ? 3600 : 1
        s = int(n * f + 0.999); print (s < 1 ? 1 : s) }'
}

# Waits until no background work is queued or running on any path (at most DRAIN_MAX seconds);
# prints how long it waited, or "timeout".
drain() { # w
    local w=$1 limit waited=0 busy
    limit=${DRAIN_MAX:-$((40 * w / 1000 + 30))}
    local start=$SECONDS
    while :; do
        busy=$(curl -fsS --max-time 5 "$BASE/stats" | sed -n 's/^busy=//p')
        [ "${busy:-1}" -eq 0 ] && break
        waited=$((SECONDS - start))
        if [ "$waited" -ge "$limit" ]; then
            log "    still $busy pieces of background work after ${limit} s; going on"
            echo timeout
            return
        fi
        sleep 0.5
    done
    echo $((SECONDS - start))
}

CSV="$OUT/results.csv"
echo "w_ms,path,ok_rps,all_rps,ratio_to_handrolled,p50_ms,p99_ms,p999_ms,max_ms,requests,non2xx,socket_errors,gc_ms,gc_count,cpu_us_per_request,handoff_p99_ms,handoff_max_ms,heap_mb_after,peak_platform_threads,drain_s,handoff_p50_ms,gap_p50_ms,gap_p99_ms,gap_p999_ms,next_before_work_pct,after_work_p50_ms,after_work_p99_ms,same_thread_pct,inside_work_of_sampled,switches_per_request,complete_p50_ms,complete_p99_ms,qtp_jobs_per_request,qtp_reserved_per_request" >"$CSV"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    log "warning: load average $LOAD_BEFORE on $(nproc) CPUs before the run; other work will skew the numbers"
fi

ms() { awk -v us="$1" 'BEGIN { if (us == "") print "?"; else printf "%.2f", us / 1000 }'; }

for W in $WS; do
    # wrk's timeout must outlast /sync's sleep; its own run is bounded by `timeout`.
    wrk_timeout=$((W / 1000 + 5))
    bound=$(( $(seconds "$WARMUP") + $(seconds "$DURATION") + wrk_timeout + 60 ))
    for path in $PATHS; do
        name=${path#/}
        url="$BASE$path?w=$W"
        raw="$OUT/w$W-$name"
        n=2
        while [ -e "$raw-wrk.txt" ]; do # a path listed twice in PATHS keeps both runs' files
            raw="$OUT/w$W-$name-$n"
            n=$((n + 1))
        done
        log "  W=$W $path"
        timeout "$bound" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout "${wrk_timeout}s" "$url" >"$raw-warmup.txt"
        curl -fsS --max-time 5 "$BASE/stats?reset=1" >"$raw-stats-before.txt"
        cpu_before=$(server_cpu_ticks)
        switches_before=$(server_switches)
        timeout "$bound" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "${wrk_timeout}s" --latency -s "$LUA" "$url" >"$raw-wrk.txt"
        cpu_after=$(server_cpu_ticks)
        switches_after=$(server_switches)
        curl -fsS --max-time 5 "$BASE/stats" >"$raw-stats-after.txt"
        waited=$(drain "$W")
        curl -fsS --max-time 5 "$BASE/stats" >"$raw-stats-drained.txt"

        f="$raw-wrk.txt"
        requests=$(stat_value lua.requests "$f")
        non2xx=$(stat_value lua.non2xx "$f")
        socket_errors=$(stat_value lua.socket_errors "$f")
        duration_us=$(stat_value lua.duration_us "$f")
        all_rps=$(awk -v n="$requests" -v d="$duration_us" 'BEGIN { printf "%.1f", n * 1e6 / d }')
        # Successful (2xx) requests per second: a 503 from admission is fast and would inflate req/s.
        ok_rps=$(awk -v n="$requests" -v e="$non2xx" -v d="$duration_us" 'BEGIN { printf "%.1f", (n - e) * 1e6 / d }')
        ratio="?" # filled in below, once /handrolled has run at this W
        p50=$(ms "$(stat_value lua.p50_us "$f")")
        p99=$(ms "$(stat_value lua.p99_us "$f")")
        p999=$(ms "$(stat_value lua.p999_us "$f")")
        max=$(ms "$(stat_value lua.max_us "$f")")
        if [ "$requests" -eq 0 ]; then
            p50=- p99=- p999=- max=- # e.g. /sync at W = 5000 with DURATION < 5 s: nothing completed
        fi
        gc_ms=$(( $(stat_value gc.timeMs "$raw-stats-after.txt") - $(stat_value gc.timeMs "$raw-stats-before.txt") ))
        gc_count=$(( $(stat_value gc.count "$raw-stats-after.txt") - $(stat_value gc.count "$raw-stats-before.txt") ))
        # CPU of the whole server JVM (request threads, task threads, JIT, GC) per request wrk completed, 503s included.
        cpu_us=$(awk -v t=$((cpu_after - cpu_before)) -v hz="$CLK_TCK" -v n="$requests" \
            'BEGIN { if (n > 0) printf "%.0f", t * 1000000 / hz / n; else print "?" }')
        switches=$(awk -v d=$((switches_after - switches_before)) -v n="$requests" 'BEGIN { if (n > 0) printf "%.2f", d / n; else print "?" }')
        handoff_p99=- handoff_max=- # no background work on /sync and /plain-close
        if [ "$(stat_value "path.$name.handoff.count" "$raw-stats-after.txt")" != 0 ]; then
            handoff_p99=$(ms "$(stat_value "path.$name.handoff.p99us" "$raw-stats-after.txt")")
            handoff_max=$(ms "$(stat_value "path.$name.handoff.maxus" "$raw-stats-after.txt")")
        fi
        handoff_p50=- gap_p50=- gap_p99=- gap_p999=- # gaps only with SERVER_OPTS=--trace-gaps
        if [ "$handoff_p99" != - ]; then
            handoff_p50=$(ms "$(stat_value "path.$name.handoff.p50us" "$raw-stats-after.txt")")
        fi
        if [ -n "$(stat_value "path.$name.gap.count" "$raw-stats-after.txt")" ]; then
            gap_p50=$(ms "$(stat_value "path.$name.gap.p50us" "$raw-stats-after.txt")")
            gap_p99=$(ms "$(stat_value "path.$name.gap.p99us" "$raw-stats-after.txt")")
            gap_p999=$(ms "$(stat_value "path.$name.gap.p999us" "$raw-stats-after.txt")")
        fi
        # With --trace-gaps: of the requests that followed one with work on the same connection, how
        # many the server entered before that work had begun (%), and how long after it began the others came.
        overtook_pct=- after_p50=- after_p99=-
        if [ -n "$(stat_value "path.$name.overtook" "$raw-stats-after.txt")" ] && [ "$handoff_p99" != - ]; then
            overtook_pct=$(awk -v o="$(stat_value "path.$name.overtook" "$raw-stats-after.txt")" \
                -v f="$(stat_value "path.$name.followed" "$raw-stats-after.txt")" 'BEGIN { if (o + f > 0) printf "%.2f", 100 * o / (o + f); else print "-" }')
            after_p50=$(ms "$(stat_value "path.$name.afterWork.p50us" "$raw-stats-after.txt")")
            after_p99=$(ms "$(stat_value "path.$name.afterWork.p99us" "$raw-stats-after.txt")")
        fi
        # With --trace-gaps: the share of requests served by the thread that served the previous one on
        # their connection, and of a 1-in-64 sample, how many ran inside earlier work (within complete()).
        same_pct=- inside=-
        if [ -n "$(stat_value "path.$name.sameThread" "$raw-stats-after.txt")" ]; then
            same_pct=$(awk -v s="$(stat_value "path.$name.sameThread" "$raw-stats-after.txt")" \
                -v n="$(stat_value "path.$name.gap.count" "$raw-stats-after.txt")" 'BEGIN { if (n > 0) printf "%.1f", 100 * s / n; else print "-" }')
            inside="$(stat_value "path.$name.insideWork" "$raw-stats-after.txt")/$(stat_value "path.$name.sampled" "$raw-stats-after.txt")"
        fi
        complete_p50=- complete_p99=- # /asyncstart only: how long AsyncContext.complete() took on the runnable's thread
        if [ -n "$(stat_value "path.$name.complete.count" "$raw-stats-after.txt")" ]; then
            complete_p50=$(ms "$(stat_value "path.$name.complete.p50us" "$raw-stats-after.txt")")
            complete_p99=$(ms "$(stat_value "path.$name.complete.p99us" "$raw-stats-after.txt")")
        fi
        # Jobs handed to Jetty's pool per request: execute() (queued) and tryExecute() (to a reserved thread).
        qtp_jobs=$(awk -v a="$(stat_value qtp.executed "$raw-stats-after.txt")" -v b="$(stat_value qtp.executed "$raw-stats-before.txt")" \
            -v n="$requests" 'BEGIN { if (n > 0) printf "%.2f", (a - b) / n; else print "?" }')
        qtp_reserved=$(awk -v a="$(stat_value qtp.reservedExecuted "$raw-stats-after.txt")" -v b="$(stat_value qtp.reservedExecuted "$raw-stats-before.txt")" \
            -v n="$requests" 'BEGIN { if (n > 0) printf "%.2f", (a - b) / n; else print "?" }')
        heap_mb=$(awk -v b="$(stat_value heap.usedBytes "$raw-stats-after.txt")" 'BEGIN { printf "%.0f", b / 1048576 }')
        peak_threads=$(stat_value threads.peak "$raw-stats-after.txt")
        echo "$W,$path,$ok_rps,$all_rps,$ratio,$p50,$p99,$p999,$max,$requests,$non2xx,$socket_errors,$gc_ms,$gc_count,$cpu_us,$handoff_p99,$handoff_max,$heap_mb,$peak_threads,$waited,$handoff_p50,$gap_p50,$gap_p99,$gap_p999,$overtook_pct,$after_p50,$after_p99,$same_pct,$inside,$switches,$complete_p50,$complete_p99,$qtp_jobs,$qtp_reserved" >>"$CSV"
        log "    $ok_rps 2xx/s, p50 $p50 p99 $p99 p99.9 $p999 ms, non-2xx $non2xx, GC $gc_ms ms, CPU $cpu_us us/request, drained in $waited s"
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
curl -fsS --max-time 5 "$BASE/stats" >"$OUT/stats-end.txt"
stop_server

# Ratio of each path's 2xx/s to /handrolled's at the same W.
awk -F, -v OFS=, 'NR == FNR { if (FNR > 1 && $2 == "/handrolled") base[$1] = $3; next }
    FNR == 1 { print; next }
    { $5 = ($1 in base && base[$1] > 0) ? sprintf("%.2f", $3 / base[$1]) : "?"; print }' "$CSV" "$CSV" >"$CSV.tmp"
mv "$CSV.tmp" "$CSV"

# --- report ------------------------------------------------------------------------------------
S="$OUT/stats-start.txt"
{
    echo "# Background-work sweep"
    echo
    echo "\`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -s bench/latency.lua\`, each run right after a" \
        "${WARMUP} warm-up on the same path and W; $(nproc) CPUs; server $(stat_value java.vm "$S")" \
        "(Java $(stat_value java.version "$S")), max heap $(awk -v b="$(stat_value heap.maxBytes "$S")" 'BEGIN { printf "%.0f MiB", b / 1048576 }')${JAVA_OPTS:+ (JAVA_OPTS: $JAVA_OPTS)};" \
        "Jetty 12.1 ee10, request pool $(stat_value qtp.min "$S")–$(stat_value qtp.max "$S") threads;" \
        "wrk $(wrk -v 2>&1 | awk 'NR == 1 { print $2 }'); load average before $LOAD_BEFORE, after $LOAD_AFTER."
    echo
    echo "Filters:"
    echo
    for path in $PATHS; do
        config=$(stat_value "filter.${path#/}.config" "$S")
        [ -n "$config" ] && echo "- \`$path\`: $(sed 's/^AfterResponseConfig\[//; s/\]$//' <<<"$config" | tr ',' '\n' | grep -E 'connectionClose|maxRunning|threads|queueCapacity|executor' | tr -d ' ' | paste -sd' ')"
    done
    echo
    echo "Columns: **2xx/s** successful responses per second (wrk's req/s counts the 503s too; see *all/s* in" \
        "results.csv); **ratio** to \`/handrolled\` at the same W; latencies are wrk's, over all responses (503s" \
        "included); **non-2xx** are 503 refusals by admission (\`max-running\` + \`queue-capacity\` unfinished" \
        "exchanges); **GC ms** the pause time the server's GarbageCollectorMXBeans added during the measured run" \
        "(count in brackets); **CPU µs/req** the server JVM's user + system CPU over all requests;" \
        "**hand-off p99** how long the work waited for its thread (servlet's registration to the task's first line," \
        "measured in the server); **drain s** how long the path's background work took to end after the run."
    for W in $WS; do
        echo
        echo "## W = $W ms"
        echo
        echo "| path | 2xx/s | ratio to \`/handrolled\` | p50 ms | p99 ms | p99.9 ms | non-2xx | GC ms | CPU µs/req | hand-off p99 ms | heap MiB after | drain s |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        awk -F, -v w="$W" 'NR > 1 && $1 == w {
            printf "| `%s` | %s | %s | %s | %s | %s | %s | %s (%s) | %s | %s | %s | %s |\n",
                $2, $3, $5, $6, $7, $8, $11, $13, $14, $15, $16, $18, $20 }' "$CSV"
    done
} >"$OUT/results.md"

# --- plots -------------------------------------------------------------------------------------
cat >"$OUT/plots.gp" <<EOF
# Redraws the sweep's plots from results.csv: cd $OUT && gnuplot plots.gp
set datafile separator ","
set terminal pngcairo size 900,560 noenhanced
ws = "$WS"
paths = "$PATHS"
idx(w) = sum [i=1:words(ws)] ((word(ws, i) + 0) == w ? i : 0)
set xrange [0.7:words(ws) + 0.3]
set xtics () ; do for [i=1:words(ws)] { set xtics add (word(ws, i) i) }
set xlabel "W (ms of background work per request)"
set key outside right
set grid
set output "latency-vs-w.png"
set title "client p99 latency vs W (wrk -t$THREADS -c$CONNECTIONS -d$DURATION)"
set ylabel "p99 latency (ms, log)"
set logscale y
rows(p) = sprintf("< awk -F, '\$2 == \"%s\"' results.csv", p)
plot for [p in paths] rows(p) using (idx(\$1)):(\$7 > 0 ? \$7 : NaN) with linespoints lw 2 title p
set output "throughput-vs-w.png"
set title "successful requests/s vs W (wrk -t$THREADS -c$CONNECTIONS -d$DURATION)"
set ylabel "2xx responses/s (log)"
plot for [p in paths] rows(p) using (idx(\$1)):(\$3 > 0 ? \$3 : NaN) with linespoints lw 2 title p
EOF
(cd "$OUT" && gnuplot plots.gp) || log "gnuplot failed; the CSV and results.md are there"

cat "$OUT/results.md"
log "wrote $OUT/results.md, results.csv, latency-vs-w.png, throughput-vs-w.png"
