#!/usr/bin/env bash
# Sets up .venv (as scripts/test.sh does) and serves the quickstart agent over HTTP.
#
# The agent (test_samples/quickstart/quickstart_agent.py) echoes messages and welcomes new
# members. It listens on http://localhost:3978/api/messages (set PORT to change the port) and
# prints a curl command to talk to it. Without CONNECTIONS__SERVICE_CONNECTION__SETTINGS__*
# variables it runs in anonymous mode, which is what local testing needs. Ctrl+C stops it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_bootstrap.sh"
cd "$ROOT"
ensure_venv
exec "$VENV/bin/python" test_samples/quickstart/quickstart_agent.py "$@"
