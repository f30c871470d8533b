# Shared set-up for scripts/test.sh and scripts/run.sh (sourced, not run).
# Finds a Python >= 3.10, creates .venv and installs every distribution (editable) with the
# development tools. Re-running it is cheap: it reinstalls only when a pyproject.toml or
# scripts/requirements-dev.txt changed since the last install.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${AGENTS_VENV:-$ROOT/.venv}"

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11 python3.10 python; do
        [[ -n "$candidate" ]] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "error: Python 3.10 or newer is needed; install it or set PYTHON=/path/to/python3" >&2
    return 1
}

ensure_venv() {
    if [[ ! -x "$VENV/bin/python" ]]; then
        local py
        py="$(find_python)" || return 1
        echo "== creating $VENV with $("$py" --version)"
        "$py" -m venv "$VENV" || {
            echo "error: '$py -m venv' failed; on Debian/Ubuntu install the python3-venv package" >&2
            return 1
        }
    fi
    local stamp="$VENV/.installed" inputs
    inputs="$(cat "$ROOT"/libraries/*/pyproject.toml "$ROOT/scripts/requirements-dev.txt" | cksum)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$inputs" ]]; then
        return 0
    fi
    echo "== installing the distributions and development tools into $VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip || return 1
    local args=(-r "$ROOT/scripts/requirements-dev.txt")
    local lib
    for lib in "$ROOT"/libraries/*/; do
        args+=(-e "${lib%/}[test]")
    done
    "$VENV/bin/python" -m pip install --quiet "${args[@]}" || {
        echo "error: installing into $VENV failed (see pip's message above)" >&2
        return 1
    }
    echo "$inputs" >"$stamp"
}
