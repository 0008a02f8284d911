#!/usr/bin/env bash
# JMH micro-benchmarks of the buffering wrapper (bench/jmh, BufferingBenchmark): a servlet writes a
# body of 1 KiB, 64 KiB and 1 MiB in 8 KiB chunks, through its output stream or its writer,
# straight to an in-memory container response (direct), through AfterResponseFilter (filter), and
# through the filter with a no-op task (filterTask), to a container that drops the body (discard)
# or copies it once into a 32 KiB buffer of its own (copy). Time per request, allocation per
# request (-prof gc: gc.alloc.rate.norm) and the ratios to direct, all from one run.
#
#   bench/jmh.sh
#
# Environment (defaults in brackets): JAVA [Temurin 25 if installed, else java] runs the benchmark;
# FORKS [1], WARMUP_ITERATIONS [3], ITERATIONS [5], WARMUP [1s] and TIME [1s] per iteration;
# SIZES [1024,65536,1048576], OUTPUTS [stream,writer], SINKS [discard,copy]; BENCHMARKS [all three,
# a JMH regular expression]; JMH_OPTS [none] more JMH options; OUT
# [bench/target/jmh-<date>-<time>].
#
# Output in OUT: jmh.json (JMH's), jmh.txt (its log), results.csv, results.md (tables), jmh-*.png.
# Builds bench/jmh/target/after-response-jmh.jar first if it is missing or older than the sources.
# Installs jq and gnuplot with apt-get when missing. Exits 1 if JMH fails or a result is missing.
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh
if [ -z "${JAVA:-}" ]; then
    if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
        JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
    else
        JAVA=java
    fi
fi
FORKS=${FORKS:-1}
WARMUP_ITERATIONS=${WARMUP_ITERATIONS:-3}
ITERATIONS=${ITERATIONS:-5}
WARMUP=${WARMUP:-1s}
TIME=${TIME:-1s}
SIZES=${SIZES:-1024,65536,1048576}
OUTPUTS=${OUTPUTS:-stream,writer}
SINKS=${SINKS:-discard,copy}
BENCHMARKS=${BENCHMARKS:-BufferingBenchmark\.(direct|filter|filterTask)$}
JMH_OPTS=${JMH_OPTS:-}
JAR=bench/jmh/target/after-response-jmh.jar
OUT=${OUT:-bench/target/jmh-$(date +%Y%m%d-%H%M%S)}

# --- tools -------------------------------------------------------------------------------------
install_missing jq jq
install_missing gnuplot gnuplot-nox
command -v "$JAVA" >/dev/null 2>&1 || { log "JAVA=$JAVA not found"; exit 2; }

# --- jar ---------------------------------------------------------------------------------------
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml core/pom.xml core/src bench/jmh/pom.xml bench/jmh/src -newer "$JAR" -print -quit)" ]; then
    log "building $JAR"
    mvn -B -q -DskipTests -pl bench/jmh -am package >&2
fi

mkdir -p "$OUT"
log "results in $OUT"

# Seconds of one duration such as 1s, 500ms, 2m (JMH's forms used here).
seconds() {
    awk -v t="$1" 'BEGIN { n = t + 0; u = t; sub(/^[0-9.]+/, "", u)
        f = (u == "ms") ? 0.001 : (u == "s" || u == "") ? 1 : (u == "m") ? 60 : -1
        if (f < 0) { print "bad duration " t > "/dev/stderr"; exit 1 } printf "%d", n * f + 0.999 }'
}
count() { tr ',' '\n' <<<"$1" | grep -c .; }
# Benchmarks in the expression, counted by its alternatives: only for the time limit below.
BENCH_COUNT=$(awk -v b="$BENCHMARKS" 'BEGIN { n = gsub(/\|/, "|", b); print n + 1 }')
TRIALS=$((BENCH_COUNT * $(count "$SIZES") * $(count "$OUTPUTS") * $(count "$SINKS") * FORKS))
PER_TRIAL=$((WARMUP_ITERATIONS * $(seconds "$WARMUP") + ITERATIONS * $(seconds "$TIME") + 3))
# Three times the expected time, plus start-up: a run that takes longer is stuck.
LIMIT=$((3 * TRIALS * PER_TRIAL + 120))
log "about $TRIALS trials x ${PER_TRIAL}s = $((TRIALS * PER_TRIAL))s; stopped after ${LIMIT}s"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    log "warning: load average $LOAD_BEFORE on $(nproc) CPUs before the run; other work will skew the times"
fi
STARTED=$(date +%s)
# shellcheck disable=SC2086 # JMH_OPTS is a list of words
timeout --kill-after=10 "$LIMIT" "$JAVA" -jar "$JAR" "$BENCHMARKS" \
    -f "$FORKS" -wi "$WARMUP_ITERATIONS" -i "$ITERATIONS" -w "$WARMUP" -r "$TIME" \
    -p size="$SIZES" -p output="$OUTPUTS" -p sink="$SINKS" \
    -prof gc -rf json -rff "$OUT/jmh.json" $JMH_OPTS >"$OUT/jmh.txt" 2>&1 || {
    log "JMH failed (exit $?); the end of its log:"
    tail -30 "$OUT/jmh.txt" >&2
    exit 1
}
ELAPSED=$(($(date +%s) - STARTED))
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- results -----------------------------------------------------------------------------------
# One CSV line per trial: benchmark,output,sink,size,ns_per_op,ns_error,alloc_bytes_per_op.
jq -r '.[] | [(.benchmark | sub(".*\\."; "")), .params.output, .params.sink, .params.size,
        .primaryMetric.score, .primaryMetric.scoreError,
        ([.secondaryMetrics | to_entries[] | select(.key | endswith("gc.alloc.rate.norm")) | .value.score][0] // "NaN")]
      | @csv' "$OUT/jmh.json" | tr -d '"' >"$OUT/trials.csv"

# What the filter's buffer does with a body written in 8 KiB chunks, from ResponseBuffer: segments,
# the first as large as the first write (at least 1 KiB), each next one as large as all before it,
# at most 64 KiB and never past the 1 MiB buffer limit; nothing is copied when it grows. So: bytes
# copied into the buffer (the body, one copy more than direct), bytes copied by its growth (none),
# and bytes of the segments it allocated. (The writer's encoder hands the stream smaller pieces, so
# its segments can differ by a few KiB.)
buffer_model() { # size -> "copied_in growth allocated"
    awk -v size="$1" 'BEGIN { chunk = 8192; limit = 1048576; seg = 65536; cap = 0; count = 0; alloc = 0
        for (left = size; left > 0; left -= n) { n = left < chunk ? left : chunk
            while (count + n > cap) {
                s = cap == 0 ? 1024 : (cap < seg ? cap : seg); w = n < seg ? n : seg; if (w > s) s = w
                if (s > limit - cap) s = limit - cap
                alloc += s; cap += s }
            count += n }
        printf "%d %d %d", size, 0, alloc }'
}

CSV="$OUT/results.csv"
echo "sink,output,size,direct_ns,filter_ns,filter_ratio,task_ns,task_ratio,direct_alloc_b,filter_alloc_b,task_alloc_b,extra_copy_b,growth_copy_b,buffer_alloc_b" >"$CSV"
score() { # benchmark output sink size column(5=ns 7=alloc)
    awk -F, -v b="$1" -v o="$2" -v s="$3" -v z="$4" -v c="$5" '$1 == b && $2 == o && $3 == s && $4 == z { print $c; exit }' "$OUT/trials.csv"
}
MISSING=0
for sink in ${SINKS//,/ }; do
    for output in ${OUTPUTS//,/ }; do
        for size in ${SIZES//,/ }; do
            d=$(score direct "$output" "$sink" "$size" 5); f=$(score filter "$output" "$sink" "$size" 5)
            t=$(score filterTask "$output" "$sink" "$size" 5)
            da=$(score direct "$output" "$sink" "$size" 7); fa=$(score filter "$output" "$sink" "$size" 7)
            ta=$(score filterTask "$output" "$sink" "$size" 7)
            if [ -z "$d$f$t" ]; then
                MISSING=1
                continue
            fi
            read -r copied growth allocated <<<"$(buffer_model "$size")"
            awk -v s="$sink" -v o="$output" -v z="$size" -v d="$d" -v f="$f" -v t="$t" -v da="$da" -v fa="$fa" \
                -v ta="$ta" -v c="$copied" -v g="$growth" -v a="$allocated" 'BEGIN {
                fr = (d > 0 && f != "") ? sprintf("%.2f", f / d) : ""; tr = (d > 0 && t != "") ? sprintf("%.2f", t / d) : ""
                printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", s, o, z, d, f, fr, t, tr, da, fa, ta, c, g, a }' >>"$CSV"
        done
    done
done

human() { awk -v b="$1" 'BEGIN { if (b == "") print "–"; else if (b >= 1048576) printf "%.2f MiB", b / 1048576;
    else if (b >= 1024) printf "%.1f KiB", b / 1024; else printf "%.0f B", b }'; }
fmt_ns() { awk -v n="$1" 'BEGIN { if (n == "") print "–"; else if (n >= 1000000) printf "%.2f ms", n / 1000000;
    else if (n >= 1000) printf "%.2f µs", n / 1000; else printf "%.0f ns", n }'; }

{
    echo "# JMH: the buffering wrapper"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ); $("$JAVA" -version 2>&1 | sed -n 2p); $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)); load average $LOAD_BEFORE before, $LOAD_AFTER after; ${ELAPSED}s."
    echo
    echo "JMH 1.37: \`-f $FORKS -wi $WARMUP_ITERATIONS -i $ITERATIONS -w $WARMUP -r $TIME -prof gc${JMH_OPTS:+ $JMH_OPTS}\`; each fork runs with"
    echo "\`-Xms1g -Xmx1g -XX:+AlwaysPreTouch\` (see BufferingBenchmark). Average time per request (one request = one operation)."
    echo "The servlet writes the body in 8 KiB chunks: byte[] through getOutputStream (\`stream\`) or char[] through"
    echo "getWriter, UTF-8, all ASCII (\`writer\`). \`direct\`: to the container's response, no filter; \`filter\`:"
    echo "through AfterResponseFilter.doFilter, no task (held, then sent whole with Content-Length); \`filterTask\`:"
    echo "the same with AfterResponse.of(request).then(noop) run inline (ExecutorChoice.of(Runnable::run))."
    echo "The container is an in-memory stub (bench/jmh/.../StubResponse): \`discard\` counts the body and drops it,"
    echo "so direct costs next to nothing and the ratio shows the filter's work alone; \`copy\` also copies it once"
    echo "into a 32 KiB buffer of its own, as a real container does on both paths."
    echo
    echo "Allocation is JMH's gc.alloc.rate.norm (bytes per request). Buffer columns are computed from"
    echo "ResponseBuffer's segments (the first as large as the first 8 KiB write, each next one as large as all"
    echo "before it, at most 64 KiB): *extra copy* is the body copied into the buffer (one copy more than direct),"
    echo "*growth copy* what growing copies again (nothing: segments are never copied), *buffer* the segments"
    echo "allocated (most of the filter's allocation)."
    for sink in ${SINKS//,/ }; do
        echo
        echo "## Container: $sink"
        echo
        echo "| output | body | direct | filter | filter / direct | filterTask | filterTask / direct | alloc direct | alloc filter | alloc filterTask | extra copy | growth copy | buffer |"
        echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
        awk -F, -v s="$sink" 'NR > 1 && $1 == s' "$CSV" | while IFS=, read -r _ output size d f fr t tr da fa ta c g a; do
            echo "| $output | $(human "$size") | $(fmt_ns "$d") | $(fmt_ns "$f") | ${fr:-–} | $(fmt_ns "$t") | ${tr:-–} | $(human "$da") | $(human "$fa") | $(human "$ta") | $(human "$c") | $(human "$g") | $(human "$a") |"
        done
    done
    echo
    echo "Reproduce: \`bench/jmh.sh\` (environment as in its header; raw results in jmh.json, per trial in trials.csv)."
} >"$OUT/results.md"

# --- plots: time per request against body size, one per container stub -------------------------
for sink in ${SINKS//,/ }; do
    data="$OUT/plot-$sink.dat"
    awk -F, -v s="$sink" 'NR > 1 && $1 == s { print $2, $3, $4, $5, $7 }' "$CSV" >"$data"
    [ -s "$data" ] || continue
    gnuplot <<EOF
set terminal pngcairo size 900,560 noenhanced
set output "$OUT/jmh-$sink.png"
set title "Time per request, container '$sink' (JMH, $(basename "$OUT"))"
set xlabel "body (bytes)"
set ylabel "ns per request"
set logscale xy
set key top left
set grid
plot for [o in "stream writer"] "$data" using 2:(strcol(1) eq o ? \$3 : 1/0) with linespoints title "direct, ".o, \
     for [o in "stream writer"] "$data" using 2:(strcol(1) eq o ? \$4 : 1/0) with linespoints title "filter, ".o, \
     for [o in "stream writer"] "$data" using 2:(strcol(1) eq o ? \$5 : 1/0) with linespoints title "filterTask, ".o
EOF
    rm -f "$data"
done

cat "$OUT/results.md"
if [ "$MISSING" -ne 0 ]; then
    log "some results are missing; see $OUT/jmh.txt"
    exit 1
fi
