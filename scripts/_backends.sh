# shellcheck shell=bash disable=SC2034  # PKG_DIR is read by the sourcing script
# Helpers shared by scripts/start-azurite.sh and scripts/start-cosmos.sh (sourced, not run).
#
# A "backend" is a local test server installed from npm into a cache directory that survives
# between runs, started in the background on 127.0.0.1 and remembered by a PID file. The
# sourcing script sets NAME (for messages), PKG (npm package), VERSION, RUN_DIR and PORT, and
# defines `probe` (exit 0 once the server answers) before calling these functions.
#
# Output convention: stdout carries only shell `export`/`unset` lines meant for `eval`;
# progress and errors go to stderr.

CACHE_DIR="${AGENTS_BACKENDS_CACHE:-${HOME:-/tmp}/.cache/agents-backends}"

log() { printf '%s: %s\n' "$NAME" "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

need_node() {
    command -v node >/dev/null 2>&1 || die "node is not installed; Node.js 20 or newer (with npm) is needed"
}

# npm install PKG@VERSION once into $CACHE_DIR/<dir>; later runs reuse it (a few ms).
# $1: directory name under the cache, $2: path of a file that proves the install is complete.
install_cached() {
    local dir="$CACHE_DIR/$1" marker="$CACHE_DIR/$1/$2"
    PKG_DIR="$dir"
    [[ -f "$marker" ]] && return 0
    command -v npm >/dev/null 2>&1 || die "npm is not installed; Node.js 20 or newer with npm is needed"
    log "first run: npm install ${PKG}@${VERSION} into $dir (cached for later runs)"
    mkdir -p "$CACHE_DIR"
    local staging="${dir}.partial.$$"
    rm -rf "$staging"
    mkdir -p "$staging"
    if ! npm install --prefix "$staging" "${PKG}@${VERSION}" --ignore-scripts --no-audit --no-fund \
        --no-update-notifier --loglevel=error >&2; then
        rm -rf "$staging"
        die "npm install ${PKG}@${VERSION} failed (is the npm registry reachable?)"
    fi
    rm -rf "$dir"
    mv "$staging" "$dir"
}

alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }
recorded_pid() { cat "$RUN_DIR/server.pid" 2>/dev/null || true; }

# If the server we started earlier still answers, print its exports (with REUSED=1) and exit.
reuse_running() {
    local pid
    pid="$(recorded_pid)"
    if alive "$pid"; then
        if probe; then
            log "already running (PID $pid) on 127.0.0.1:$PORT"
            print_env "$pid" 1
            exit 0
        fi
        die "PID $pid (from $RUN_DIR/server.pid) is alive but $NAME does not answer on port $PORT; run '$0 stop' first"
    fi
    rm -f "$RUN_DIR/server.pid"
    if probe; then
        die "something not started by this script already answers on 127.0.0.1:$PORT; stop it or choose another port"
    fi
}

# Start "$@" in the background, record its PID and wait until `probe` succeeds.
launch_and_wait() {
    local timeout="$1"
    shift
    mkdir -p "$RUN_DIR"
    "$@" </dev/null >"$RUN_DIR/server.log" 2>&1 &
    local pid=$!
    echo "$pid" >"$RUN_DIR/server.pid"
    local deadline=$((SECONDS + timeout))
    until probe; do
        if ! alive "$pid"; then
            rm -f "$RUN_DIR/server.pid"
            tail -n 20 "$RUN_DIR/server.log" >&2 || true
            die "$NAME exited while starting (log: $RUN_DIR/server.log)"
        fi
        if ((SECONDS >= deadline)); then
            kill "$pid" 2>/dev/null || true
            rm -f "$RUN_DIR/server.pid"
            tail -n 20 "$RUN_DIR/server.log" >&2 || true
            die "$NAME did not answer on 127.0.0.1:$PORT within ${timeout}s (log: $RUN_DIR/server.log)"
        fi
        sleep 0.1
    done
    log "ready on 127.0.0.1:$PORT (PID $pid, log $RUN_DIR/server.log)"
    print_env "$pid" 0
}

# Stop the server recorded in the PID file: SIGTERM, then SIGKILL after 5 s.
stop_recorded() {
    local pid
    pid="$(recorded_pid)"
    if [[ -z "$pid" ]]; then
        log "not running (no $RUN_DIR/server.pid)"
        return 0
    fi
    if alive "$pid"; then
        kill "$pid" 2>/dev/null || true
        local waited=0
        while alive "$pid" && ((waited < 50)); do
            sleep 0.1
            waited=$((waited + 1))
        done
        if alive "$pid"; then
            log "PID $pid did not stop on SIGTERM; sending SIGKILL"
            kill -9 "$pid" 2>/dev/null || true
        fi
        log "stopped (PID $pid)"
    fi
    rm -f "$RUN_DIR/server.pid"
}
