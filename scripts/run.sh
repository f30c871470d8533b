#!/usr/bin/env bash
# Sets up .venv (as scripts/test.sh does) and serves the quickstart agent with a chat page.
#
# The agent (test_samples/quickstart/quickstart_agent.py) echoes messages and welcomes new
# members. `agents-dev` (the dev command of microsoft-agents-hosting-aiohttp) serves it on
# http://127.0.0.1:3978/api/messages with a chat page at http://127.0.0.1:3978/ (opened in the
# browser when there is a screen), and prints a curl command as well. It needs no Azure
# registration: the agent runs in anonymous mode and answers this computer only. Arguments
# are passed on: `bash scripts/run.sh --port 4000 --reload --no-browser` (PORT works too).
# Ctrl+C stops it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_bootstrap.sh"
cd "$ROOT"
ensure_venv
exec "$VENV/bin/agents-dev" run test_samples/quickstart/quickstart_agent.py "$@"
