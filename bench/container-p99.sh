#!/usr/bin/env bash
# Why executor=container has a high p99 on kept-alive connections at W ≈ 0 (docs/benchmarks.md,
# "Surprises"; issue 10): runs bench/background.sh at W=0 with --trace-gaps on the paths that tell
# the causes apart, in three Jetty request-pool settings, and prints one table.
#
#   bench/container-p99.sh
#
# Environment (defaults in brackets): DURATION [5s], WARMUP [2s], ROUNDS [3] (each path measured
# that many times per setting, interleaved), W [0], JAVA, JAVA_OPTS as for background.sh;
# OUT [bench/target/container-p99-<date>-<time>].
#
# Paths (see SweepServer): /container (executor=container), /asyncstart (the same by hand, without
# the filter: startAsync, AsyncContext.start, complete() when the runnable begins), /qtp
# (the filter with Jetty's own pool as a given executor: same threads, no AsyncContext), /fixed8
# (a given pool of 8 platform threads), /virtual. Settings: Jetty's default pool (8–200 threads,
# reserved threads by heuristic), a pool of 200 threads started up front, and no reserved threads.
# Takes about 4 minutes with the defaults. (/asyncstart-complete, complete() right after
# AsyncContext.start, is left out: Jetty drops nearly every runnable started so, logging a stack trace
# for each; PATHS=/asyncstart-complete WS=0 bench/background.sh shows it in /stats as "lost".)
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-3}
W=${W:-0}
OUT=${OUT:-bench/target/container-p99-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"

repeat() { # paths... → the list ROUNDS times
    local r out=""
    for r in $(seq 1 "$ROUNDS"); do
        out="$out $*"
    done
    echo "$out"
}

run() { # label, server options, paths...
    local label=$1 options=$2
    shift 2
    echo "== $label: SERVER_OPTS=\"$options\"" >&2
    DURATION=$DURATION WARMUP=$WARMUP WS=$W PATHS="$(repeat "$@")" SERVER_OPTS="$options" OUT="$OUT/$label" \
        bench/background.sh >"$OUT/$label.out"
}

run default "--trace-gaps" /container /asyncstart /qtp /fixed8 /virtual
run qtp200 "--trace-gaps --qtp-min=200 --qtp-max=200" /container /qtp
run reserved0 "--trace-gaps --qtp-reserved=0" /container /qtp

{
    echo "# executor=container, kept-alive connections, W = $W ms"
    echo
    echo "\`wrk -t2 -c32 -d$DURATION --latency\` after a $WARMUP warm-up, $ROUNDS rounds per path; server-side" \
        "**hand-off** = registration of the work to its first line running; **gap** = the servlet returning for one" \
        "request to the servlet entered for the next request on the same connection (sending the response, whatever" \
        "the container does before it reads the next request, and wrk's turn); **next request before the work began**:"\
        "of the requests that followed one with work on the same connection, the share the servlet was entered for" \
        "before that work's first line ran (0 % means the connection waited for the hand-off), and for the others how" \
        "long after the work began the next request came; **same thread**: the share of requests served by the thread" \
        "that served the previous request on the connection; **inside earlier work**: of 1 request in 64, how many" \
        "were served by a thread inside an earlier request's job or started runnable (within its \`complete()\`);" \
        "**jobs to Jetty's pool/req**: \`execute()\` (queued for any pool thread) + accepted \`tryExecute()\` (straight to a" \
        "reserved thread) per request: how often a request's processing moved to another thread through the pool."
    echo
    echo "| pool | path | 2xx/s | p50 ms | p99 ms | p99.9 ms | non-2xx | hand-off p50 / p99 ms | gap p50 / p99 / p99.9 ms | next request before the work began | next request after the work began, p50 / p99 ms | next request on the same thread | inside earlier work (sampled) | jobs to Jetty's pool/req: queued + reserved | CPU µs/req | GC ms |"
    echo "|---|---|---:|---:|---:|---:|---:|---|---|---:|---|---:|---:|---|---:|---:|"
    for label in default qtp200 reserved0; do
        awk -F, -v label="$label" 'NR > 1 {
            printf "| %s | `%s` | %s | %s | %s | %s | %s | %s / %s | %s / %s / %s | %s %% | %s / %s | %s %% | %s | %s + %s | %s | %s |\n",
                label, $2, $3, $6, $7, $8, $11, $21, $16, $22, $23, $24, $25, $26, $27, $28, $29, $33, $34, $15, $13 }' "$OUT/$label/results.csv"
    done
} | tee "$OUT/results.md"
