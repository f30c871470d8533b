#!/usr/bin/env bash
# Start or stop Azurite, the local Azure Blob Storage server, on 127.0.0.1 for tests and demos.
#
#   eval "$(bash scripts/start-azurite.sh)"     # install on first use, start, export settings
#   bash scripts/start-azurite.sh stop           # stop the server this script started
#
# stdout holds only `export` lines (for eval); progress goes to stderr. Exported:
#   AZURITE_CONNECTION_STRING   connection string for BlobStorageConfig(connection_string=...)
#   AZURITE_BLOB_ENDPOINT       http://127.0.0.1:<port>/devstoreaccount1
#   AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY   Azurite's public development account
#   AZURITE_PID, AZURITE_REUSED (1 when the server was already running: do not stop it)
#
# Settings (environment, all optional):
#   AZURITE_PORT (10000), AZURITE_VERSION (3.35.0), AZURITE_RUN_DIR, AZURITE_STARTUP_TIMEOUT (60),
#   AGENTS_BACKENDS_CACHE (npm installs; default ~/.cache/agents-backends).
#
# Azurite 3.35.0 is the newest release that runs on Node 20. It is started with
# --skipApiVersionCheck (azure-storage-blob sends x-ms-version values newer than Azurite knows,
# which it would otherwise refuse with 400) and --disableTelemetry. Data lives in RUN_DIR and is
# wiped at every start.
set -euo pipefail
# shellcheck disable=SC2034  # NAME and PKG are read by _backends.sh
NAME=start-azurite
PKG=azurite
VERSION="${AZURITE_VERSION:-3.35.0}"
PORT="${AZURITE_PORT:-10000}"
RUN_DIR="${AZURITE_RUN_DIR:-${TMPDIR:-/tmp}/agents-azurite-$PORT}"
TIMEOUT="${AZURITE_STARTUP_TIMEOUT:-60}"
# Azurite's documented development account; it is public and works only against Azurite.
ACCOUNT=devstoreaccount1
ACCOUNT_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
# shellcheck source=scripts/_backends.sh
source "$(dirname "${BASH_SOURCE[0]}")/_backends.sh"

# Azurite answers any request with a "Server: Azurite-Blob/..." header, even an unauthorised one.
probe() {
    node -e '
      const req = require("http").get(
        {host: "127.0.0.1", port: Number(process.argv[1]), path: "/devstoreaccount1?comp=list", timeout: 1000},
        (res) => { res.resume(); process.exit(String(res.headers.server || "").startsWith("Azurite-Blob") ? 0 : 2); });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", () => process.exit(1));' "$PORT"
}

print_env() {
    local endpoint="http://127.0.0.1:$PORT/$ACCOUNT"
    echo "export AZURITE_PID=$1"
    echo "export AZURITE_REUSED=$2"
    echo "export AZURITE_BLOB_ENDPOINT=$endpoint"
    echo "export AZURITE_ACCOUNT_NAME=$ACCOUNT"
    echo "export AZURITE_ACCOUNT_KEY='$ACCOUNT_KEY'"
    echo "export AZURITE_CONNECTION_STRING='DefaultEndpointsProtocol=http;AccountName=$ACCOUNT;AccountKey=$ACCOUNT_KEY;BlobEndpoint=$endpoint;'"
}

start() {
    need_node
    mkdir -p "$RUN_DIR"
    reuse_running
    install_cached "azurite-$VERSION" node_modules/azurite/package.json
    rm -rf "$RUN_DIR/data"
    mkdir -p "$RUN_DIR/data"
    launch_and_wait "$TIMEOUT" node "$PKG_DIR/node_modules/azurite/dist/src/blob/main.js" \
        --blobHost 127.0.0.1 --blobPort "$PORT" --location "$RUN_DIR/data" --silent --loose \
        --skipApiVersionCheck --disableTelemetry
}

case "${1:-start}" in
    start) start ;;
    stop)
        stop_recorded
        rm -rf "$RUN_DIR/data"
        ;;
    *) die "usage: $0 [start|stop]" ;;
esac
