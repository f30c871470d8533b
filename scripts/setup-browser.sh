#!/usr/bin/env bash
# Install what the browser tests of the dev chat need: Chromium from the system's packages.
#
#   bash scripts/setup-browser.sh      # idempotent; prints the Chromium path on stdout
#
# The tests drive Chromium with Playwright, which comes from PyPI with the [test] extra of
# microsoft-agents-hosting-aiohttp and is told where Chromium is (it downloads no browser).
# Chromium is looked for as $CHROMIUM_PATH, chromium, chromium-browser, google-chrome; when
# none exists it is installed with apt-get (Debian's package "chromium", /usr/bin/chromium),
# as root or through password-less sudo. Without Chromium the browser tests are skipped, except
# under CI, where they fail.
set -euo pipefail

log() { printf 'setup-browser: %s\n' "$*" >&2; }

find_chromium() {
    local candidate
    for candidate in "${CHROMIUM_PATH:-}" chromium chromium-browser google-chrome; do
        [[ -n "$candidate" ]] || continue
        if command -v "$candidate" >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

if found="$(find_chromium)"; then
    echo "$found"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    log "ERROR: Chromium is not installed and apt-get is not available; install Chromium" \
        "with your system's package manager, or set CHROMIUM_PATH to a Chromium or Chrome binary"
    exit 1
fi
if [[ "$(id -u)" == 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    log "ERROR: Chromium is not installed; run 'sudo apt-get install chromium' (installing" \
        "needs root), or set CHROMIUM_PATH to a Chromium or Chrome binary"
    exit 1
fi

log "installing Debian's chromium package (first run only)"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >&2
if ! "${SUDO[@]}" apt-get install -y -qq chromium >&2; then
    log "ERROR: 'apt-get install chromium' failed (see above)"
    exit 1
fi
if ! found="$(find_chromium)"; then
    log "ERROR: the chromium package is installed but no chromium command was found"
    exit 1
fi
echo "$found"
