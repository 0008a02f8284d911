#!/usr/bin/env bash
# Campaign throughput and heap of the bulk mailer (jetty-demo): messages per second for campaigns of
# 10,000 recipients with 1, 2 and 4 SMTP connections reused and with one connection per message, to
# the embedded GreenMail and to a sink that keeps nothing; heap after GC before and after campaigns
# of 1,000, 5,000 and 10,000 recipients; and one run under JFR per server. See docs/mailer-benchmark.md.
#
#   bench/mailer-throughput.sh [benchmark arguments, e.g. --repeats=5 --sections=throughput,heap]
#
# Environment (defaults in brackets): XMX [512m] the benchmark JVM's -Xmx, MVN_ARGS [none] extra
# Maven arguments (-o to build offline), TIME_LIMIT [420] seconds the benchmark may run before it is
# stopped, OUT [jetty-demo/target/mailer-bench-<time>] for the results and the log.
#
# Steps: builds the demo jar and the benchmark classes (mvn -B -q -DskipTests -pl jetty-demo -am
# package); runs io.github.afterresponse.demo.CampaignThroughput in one JVM, in the foreground, on
# the class path of the shipped jar plus the test classes (everything in-process, 127.0.0.1 only:
# Jetty, H2 in a temporary directory under OUT, GreenMail, the sink); prints the machine and the
# Markdown tables. The benchmark's JVM is stopped by its PID if the time limit runs out or the script
# is interrupted, and its temporary files are removed.
set -euo pipefail

cd "$(dirname "$0")/.."
XMX=${XMX:-512m}
MVN_ARGS=${MVN_ARGS:-}
TIME_LIMIT=${TIME_LIMIT:-420}
OUT=${OUT:-jetty-demo/target/mailer-bench-$(date +%Y%m%d-%H%M%S)}
JAR=jetty-demo/target/after-response-jetty-demo.jar
CLASSES=jetty-demo/target/test-classes

JAVA_PID=""
log() { printf '%s\n' "$*" >&2; }

stop_java() {
    if [ -n "$JAVA_PID" ] && kill -0 "$JAVA_PID" 2>/dev/null; then
        kill "$JAVA_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$JAVA_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -9 "$JAVA_PID" 2>/dev/null || true
    fi
    if [ -n "$JAVA_PID" ]; then
        wait "$JAVA_PID" 2>/dev/null || true
    fi
    JAVA_PID=""
    rm -rf "$OUT/tmp"
}
trap stop_java EXIT
trap 'stop_java; exit 130' INT TERM

for tool in java mvn; do
    command -v "$tool" >/dev/null 2>&1 || { log "$tool is needed"; exit 2; }
done

log "building $JAR and the benchmark classes"
# shellcheck disable=SC2086 # MVN_ARGS is a list of arguments
mvn -B -q $MVN_ARGS -DskipTests -pl jetty-demo -am package >&2

mkdir -p "$OUT/tmp"
# The shipped jar, not the test class path: Jakarta Mail and Jetty look resources up on the class
# path, and the test class path (Selenium and the rest, about 75 jars) is not what the demo runs on.
COMMAND=(java "-Xmx$XMX" "-Djava.io.tmpdir=$OUT/tmp" -cp "$CLASSES:$JAR" io.github.afterresponse.demo.CampaignThroughput "$@")

{
    echo "## Bulk mailer benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1024/1024}' /proc/meminfo) RAM, $(uname -sr)"
    echo "- java: $(java -version 2>&1 | head -1)"
    echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- command: \`${COMMAND[*]}\`"
    echo
} | tee "$OUT/results.md"

log "running the benchmark (at most $TIME_LIMIT s); its whole log goes to $OUT/benchmark.log"
"${COMMAND[@]}" > "$OUT/tables.md" 2> >(tee "$OUT/benchmark.log" | grep --line-buffered '^\[bench\]' >&2) &
JAVA_PID=$!
SECONDS=0
while kill -0 "$JAVA_PID" 2>/dev/null; do
    if [ "$SECONDS" -ge "$TIME_LIMIT" ]; then
        log "the benchmark ran past $TIME_LIMIT s; stopping it (PID $JAVA_PID)"
        stop_java
        exit 1
    fi
    sleep 1
done
STATUS=0
wait "$JAVA_PID" || STATUS=$?
JAVA_PID=""
if [ "$STATUS" -ne 0 ]; then
    log "the benchmark failed (exit $STATUS); the end of its log:"
    tail -n 30 "$OUT/benchmark.log" >&2
    exit "$STATUS"
fi
tee -a "$OUT/results.md" < "$OUT/tables.md"
log "results in $OUT/results.md"
