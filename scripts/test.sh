#!/usr/bin/env bash
# Installs everything into .venv and runs every check and test of the monorepo:
# ruff (lint + format), mypy over each distribution's src/, the layout check, all tests, and
# the per-distribution isolated install check (each wheel alone in a fresh venv). The storage
# tests need local Azurite and cosmosdb-server instances: they are started (Node.js 20+, npm
# packages cached in ~/.cache/agents-backends) before the tests and stopped at the end.
#
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh --fast     # skip the isolated install check
#   bash scripts/test.sh -- -k foo  # pass arguments to pytest
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_bootstrap.sh"
cd "$ROOT"

FAST=0
PYTEST_ARGS=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --fast) FAST=1 ;;
        --) shift; PYTEST_ARGS=("$@"); break ;;
        *) echo "usage: bash scripts/test.sh [--fast] [-- PYTEST_ARGS...]" >&2; exit 2 ;;
    esac
    shift
done

ensure_venv
PY="$VENV/bin/python"
export PATH="$VENV/bin:$PATH"

echo "== ruff check"
ruff check .
echo "== ruff format --check"
ruff format --check .

echo "== mypy"
MYPYPATH="$("$PY" scripts/monorepo.py src-paths | paste -sd: -):scripts:scripts/tests"
export MYPYPATH
mapfile -t SRC_PACKAGES < <("$PY" scripts/monorepo.py src-paths | sed 's|$|/microsoft_agents|')
mypy "${SRC_PACKAGES[@]}" scripts

echo "== layout"
"$PY" scripts/check_layout.py

echo "== local storage servers (Azurite, cosmosdb-server)"
# The Blob and Cosmos DB storage tests run against real local servers. Both are started here
# (installed from npm on first use, cached in ~/.cache/agents-backends) and stopped on exit;
# servers that were already running are used and left running. Their settings (exported
# below) reach the tests and the isolated install check alike.
stop_backends() {
    if [[ "${COSMOSDB_SERVER_REUSED:-1}" == 0 ]]; then bash scripts/start-cosmos.sh stop || true; fi
    if [[ "${AZURITE_REUSED:-1}" == 0 ]]; then bash scripts/start-azurite.sh stop || true; fi
}
if command -v node >/dev/null 2>&1 || [[ -n "${CI:-}" ]]; then
    trap stop_backends EXIT
    backend_env="$(bash scripts/start-azurite.sh)"
    eval "$backend_env"
    backend_env="$(bash scripts/start-cosmos.sh)"
    eval "$backend_env"
    unset backend_env
else
    echo "warning: Node.js is not installed, so the Blob and Cosmos DB storage tests will be" \
        "skipped; install Node.js 20+ to run them" >&2
fi

echo "== Chromium for the dev chat's browser tests"
bash scripts/setup-browser.sh >/dev/null || [[ -z "${CI:-}" ]]

echo "== tests"
TEST_DIRS=(libraries/*/tests scripts/tests test_samples)
"$PY" -m pytest "${TEST_DIRS[@]}" "${PYTEST_ARGS[@]}"

if [[ $FAST == 0 ]]; then
    echo "== isolated install of each distribution"
    PYTHON="$PY" bash scripts/check_isolated.sh
fi
echo "== all checks passed"
