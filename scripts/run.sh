#!/usr/bin/env bash
# Sets up .venv (as scripts/test.sh does) and runs the main sample.
#
# The HTTP hosts are not part of the repository yet, so today this runs the Activity sample in
# test_samples/activity_basics: it reads a Teams message, builds the agent's reply and prints
# both in their wire form. Once the aiohttp host lands this starts a sample agent instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_bootstrap.sh"
cd "$ROOT"
ensure_venv
echo "note: no HTTP host exists yet in this repository; running the Activity sample instead."
exec "$VENV/bin/python" test_samples/activity_basics/app.py "$@"
