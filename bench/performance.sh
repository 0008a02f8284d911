#!/usr/bin/env bash
# Every figure of docs/performance.md, in one run: the overhead on Jetty, Tomcat and Undertow
# (bench/overhead.sh), the background-work sweep W = 0/50/500/5000 ms per executor
# (bench/background.sh), the JMH micro-benchmarks of the buffering wrapper (bench/jmh.sh) and the
# scale test of in-flight exchanges (bench/scale.sh), one after another so that none disturbs
# another; then copies their plots to docs/images/performance-*.png.
#
#   bench/performance.sh
#
# Environment: SUITES [overhead background jmh scale] which of them; JAVA [Temurin 25's java] the
# JVM of the servers and of JMH (virtual threads need 21+); OUT [bench/target/performance-<time>];
# COPY_PLOTS [1] set 0 to leave docs/images alone. Each script's own variables (DURATION, WARMUP,
# WS, ...) pass through. Takes about 32 minutes with the defaults on 2 CPUs; each script bounds its own runs
# (timeout around every wrk and java), starts its servers in the background and stops them by PID.
# Exits non-zero as soon as a suite fails (its checks failed or it could not run).
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh
SUITES=${SUITES:-overhead background jmh scale}
export JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
OUT=${OUT:-bench/target/performance-$(date +%Y%m%d-%H%M%S)}
COPY_PLOTS=${COPY_PLOTS:-1}
mkdir -p "$OUT"

{
    echo "started $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "kernel $(uname -r); $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "java: $("$JAVA" -version 2>&1 | head -n 1); default java: $(java -version 2>&1 | head -n 1)"
    echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt" >&2

for suite in $SUITES; do
    log "== $suite =="
    started=$(date +%s)
    case "$suite" in
        overhead) OUT="$OUT/overhead" bench/overhead.sh ;;
        background) OUT="$OUT/background" bench/background.sh ;;
        jmh) OUT="$OUT/jmh" bench/jmh.sh ;;
        scale) VT_JAVA="$JAVA" OUT="$OUT/scale" bench/scale.sh ;;
        *) log "unknown suite '$suite': one of overhead, background, jmh, scale"; exit 2 ;;
    esac
    echo "$suite took $(( $(date +%s) - started )) s" | tee -a "$OUT/machine.txt" >&2
    if [ "$COPY_PLOTS" = 1 ]; then
        for png in "$OUT/$suite"/*.png; do
            [ -e "$png" ] && cp "$png" "docs/images/performance-$suite-$(basename "$png")"
        done
    fi
done
echo "finished $(date -u +%Y-%m-%dT%H:%M:%SZ); results in $OUT/*/results.md" | tee -a "$OUT/machine.txt" >&2
