#!/usr/bin/env bash
# Test each distribution the way a user gets it: as a wheel in a fresh virtual environment.
#
#   bash scripts/check_isolated.sh [DIST ...]     (no DIST: every libraries/*/pyproject.toml)
#
# For every DIST:
#   1. build its wheel, and the wheels of the sibling distributions it needs (recursively,
#      following dependencies and its [test] extra), into build/isolated/DIST/dist;
#   2. run check_layout.py DIST --wheels on those wheels;
#   3. create build/isolated/DIST/venv and pip install the wheel with its [test] extra plus the
#      sibling wheels, nothing else;
#   4. from an empty temporary directory, with no PYTHONPATH, check that the leaf package is
#      imported from the venv, then run the distribution's tests/ with that venv's pytest
#      (-p no:cacheprovider --import-mode=importlib). A plugin (isolation_guard.py) fails the
#      run if any microsoft_agents module was loaded from outside the venv.
# A distribution whose tests/ collects no test fails.
#
# Environment: PYTHON (default python3, must be >= 3.10 with the `build` package),
#              NO_BUILD_ISOLATION=1 to pass --no-isolation to `python -m build`
#              (then hatchling must be installed in PYTHON).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
EXIT_NOT_ISOLATED=86

if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
    echo "check_isolated: $PY is missing or older than Python 3.10" >&2
    exit 2
fi
if ! "$PY" -c 'import build' 2>/dev/null; then
    echo "check_isolated: the 'build' package is missing; pip install -r scripts/requirements-dev.txt" >&2
    exit 2
fi
PY_VERSION="$("$PY" -c 'import platform; print(platform.python_version())')"

BUILD_FLAGS=(--wheel)
if [[ "${NO_BUILD_ISOLATION:-}" == 1 ]]; then
    BUILD_FLAGS+=(--no-isolation)
fi

if [[ $# -gt 0 ]]; then
    DISTS=("$@")
else
    mapfile -t DISTS < <("$PY" "$ROOT/scripts/monorepo.py" list)
fi
if [[ ${#DISTS[@]} -eq 0 ]]; then
    echo "check_isolated: no distributions found under libraries/" >&2
    exit 1
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

REASON=""
fail() {
    REASON="$1"
    echo "check_isolated: FAIL $DIST: $REASON" >&2
    return 1
}

# Path of the wheel built for distribution $2 in directory $1 (empty when there is none).
wheel_of() {
    local matches=("$1/${2//-/_}"-*.whl)
    if [[ -e "${matches[0]}" ]]; then echo "${matches[0]}"; fi
}

show_log() {
    echo "---- last lines of $1 ----" >&2
    tail -n 40 "$1" >&2
}

check_one() {
    local needed
    needed="$("$PY" "$ROOT/scripts/monorepo.py" closure --with-paths "$DIST")" \
        || { fail "cannot resolve the distribution or its sibling dependencies"; return 1; }
    local name path dist_dir="" sibling_names=() sibling_dirs=()
    while IFS=$'\t' read -r name path; do
        [[ -z "$name" ]] && continue
        if [[ -z "$dist_dir" ]]; then
            DIST="$name" # canonical project name, also when a short name was given
            dist_dir="$path"
        else
            sibling_names+=("$name")
            sibling_dirs+=("$path")
        fi
    done <<<"$needed"

    local out="$ROOT/build/isolated/$DIST"
    local wheels="$out/dist" venv="$out/venv" logs="$out/logs"
    local tmp="$WORK/$DIST"
    rm -rf "$out" "$tmp"
    mkdir -p "$wheels" "$logs" "$tmp"

    local names=("$DIST" "${sibling_names[@]}") dirs=("$dist_dir" "${sibling_dirs[@]}") i
    for i in "${!names[@]}"; do
        echo "== $DIST: building wheel of ${names[$i]}"
        if ! "$PY" -m build "${BUILD_FLAGS[@]}" --outdir "$wheels" "${dirs[$i]}" \
            >"$logs/build-${names[$i]}.log" 2>&1; then
            show_log "$logs/build-${names[$i]}.log"
            fail "building the wheel of ${names[$i]} failed"
            return 1
        fi
    done

    echo "== $DIST: check_layout.py --wheels"
    "$PY" "$ROOT/scripts/check_layout.py" "$DIST" --wheels "$wheels" \
        || { fail "check_layout.py reported problems"; return 1; }

    local own_wheel sibling_wheels=() wheel
    own_wheel="$(wheel_of "$wheels" "$DIST")"
    [[ -n "$own_wheel" ]] || { fail "no wheel named ${DIST//-/_}-*.whl was built"; return 1; }
    for name in "${sibling_names[@]}"; do
        wheel="$(wheel_of "$wheels" "$name")"
        [[ -n "$wheel" ]] || { fail "no wheel was built for sibling $name"; return 1; }
        sibling_wheels+=("$wheel")
    done

    echo "== $DIST: installing $(basename "$own_wheel")[test]${sibling_names[*]:+ with ${sibling_names[*]}} into a fresh venv"
    "$PY" -m venv "$venv" || { fail "creating the venv failed"; return 1; }
    local vpy="$venv/bin/python"
    if ! "$vpy" -m pip install --disable-pip-version-check --find-links "$wheels" \
        "${own_wheel}[test]" "${sibling_wheels[@]}" >"$logs/pip.log" 2>&1; then
        show_log "$logs/pip.log"
        fail "pip install of the wheel and its [test] extra failed"
        return 1
    fi

    local leaf
    leaf="$("$PY" "$ROOT/scripts/monorepo.py" leaf "$DIST")" || { fail "unknown leaf"; return 1; }
    cp "$ROOT/scripts/isolation_guard.py" "$tmp/isolation_guard.py"
    local run_env=(env -u PYTHONPATH -u PYTHONHOME PYTHONNOUSERSITE=1 PYTHONDONTWRITEBYTECODE=1
        "ISOLATION_PREFIX=$venv" "ISOLATION_LEAF=$leaf")

    echo "== $DIST: import check"
    (cd "$tmp" && "${run_env[@]}" "$vpy" isolation_guard.py) \
        || { fail "$leaf is not imported from the venv"; return 1; }

    local tests="$dist_dir/tests" shown="${dist_dir#"$ROOT"/}/tests"
    [[ -d "$tests" ]] || { fail "$shown does not exist"; return 1; }
    echo "== $DIST: pytest $shown (from $tmp)"
    local rc=0
    (cd "$tmp" && "${run_env[@]}" "$vpy" -m pytest -p no:cacheprovider --import-mode=importlib \
        -p isolation_guard "$tests") || rc=$?
    case "$rc" in
        0) return 0 ;;
        5) fail "no tests were collected from $shown (a distribution needs tests)" ;;
        "$EXIT_NOT_ISOLATED") fail "tests imported microsoft_agents code from outside the venv" ;;
        *) fail "pytest exited with status $rc" ;;
    esac
    return 1
}

SUMMARY=()
FAILED=0
for DIST in "${DISTS[@]}"; do
    REASON=""
    if check_one; then
        SUMMARY+=("PASS  $DIST (Python $PY_VERSION)")
    else
        SUMMARY+=("FAIL  $DIST (Python $PY_VERSION): $REASON")
        FAILED=1
    fi
done

echo
echo "check_isolated summary:"
printf '  %s\n' "${SUMMARY[@]}"
exit "$FAILED"
