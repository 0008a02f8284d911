# Helpers the bench/ scripts share; sourced, never run. Each script keeps its own settings and
# its own server; these only log, install a missing tool, read a server's CPU time and stop a
# process by its PID.

log() { printf '%s\n' "$*" >&2; }

# Installs a Debian package with apt-get (through sudo unless root) when a command is missing.
install_missing() { # command, package
    command -v "$1" >/dev/null 2>&1 && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    log "$1 not found; installing $2 with apt-get"
    $sudo apt-get update -q >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >&2
}

# User + system CPU ticks of $SERVER_PID so far: the fields after the command name, which is in
# parentheses and may contain spaces.
server_cpu_ticks() { sed 's/^.*) //' "/proc/$SERVER_PID/stat" | awk '{ print $12 + $13 }'; }

# Stops a process of ours by its PID: SIGTERM, up to the given seconds for it to end (its shutdown
# hook stops the server and the filters), then SIGKILL; reaps it. Nothing happens for an empty PID.
stop_pid() { # pid, seconds, label
    [ -n "$1" ] || return 0
    if kill -0 "$1" 2>/dev/null; then
        kill "$1" 2>/dev/null || true
        for _ in $(seq 1 $(( $2 * 10 ))); do
            kill -0 "$1" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$1" 2>/dev/null; then
            log "$3 $1 did not stop in $2 s; killing it"
            kill -9 "$1" 2>/dev/null || true
        fi
    fi
    wait "$1" 2>/dev/null || true
}
