#!/usr/bin/env bash
# Start or stop a local Cosmos DB (NoSQL API) server on 127.0.0.1 for tests and demos: the npm
# package @vercel/cosmosdb-server, an in-memory server that speaks the Cosmos DB REST protocol
# (it is not Microsoft's emulator, and it checks no credentials).
#
#   eval "$(bash scripts/start-cosmos.sh)"     # install on first use, start, export settings
#   bash scripts/start-cosmos.sh stop           # stop the server this script started
#
# stdout holds only `export`/`unset` lines (for eval); progress goes to stderr. Exported:
#   COSMOSDB_SERVER_ENDPOINT    https://127.0.0.1:<port>/
#   COSMOSDB_SERVER_KEY         the public emulator key (the server ignores it, the SDK needs one)
#   COSMOSDB_SERVER_CONNECTION_STRING   AccountEndpoint=...;AccountKey=...;
#   COSMOSDB_SERVER_CA_CERT     the self-signed certificate the server uses (unset without openssl)
#   COSMOSDB_SERVER_PID, COSMOSDB_SERVER_REUSED (1 when it was already running: do not stop it)
#
# Settings (environment, all optional):
#   COSMOSDB_SERVER_PORT (8081), COSMOSDB_SERVER_VERSION (1.0.1), COSMOSDB_SERVER_RUN_DIR,
#   COSMOSDB_SERVER_STARTUP_TIMEOUT (60), AGENTS_BACKENDS_CACHE (npm installs).
#
# The server speaks HTTPS only in a form the Python SDK accepts (it advertises https://
# endpoints). A fresh self-signed certificate for 127.0.0.1 is made with openssl at every start;
# the Python SDK does not verify certificates of 127.0.0.1/localhost endpoints anyway. The
# server runs through scripts/cosmos-server.js, which makes a read of a missing document answer
# 404 like Cosmos DB (the stock server answers 500). Its data is in memory: a restart empties it.
set -euo pipefail
# shellcheck disable=SC2034  # NAME and PKG are read by _backends.sh
NAME=start-cosmos
PKG=@vercel/cosmosdb-server
VERSION="${COSMOSDB_SERVER_VERSION:-1.0.1}"
PORT="${COSMOSDB_SERVER_PORT:-8081}"
RUN_DIR="${COSMOSDB_SERVER_RUN_DIR:-${TMPDIR:-/tmp}/agents-cosmosdb-server-$PORT}"
TIMEOUT="${COSMOSDB_SERVER_STARTUP_TIMEOUT:-60}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The Cosmos DB emulator's documented key; it is public and grants nothing anywhere else.
ACCOUNT_KEY="C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
# shellcheck source=scripts/_backends.sh
source "$HERE/_backends.sh"

# Ready once GET / returns the database account document.
probe() {
    node -e '
      const req = require("https").get(
        {host: "127.0.0.1", port: Number(process.argv[1]), path: "/", rejectUnauthorized: false, timeout: 1000},
        (res) => {
          let body = "";
          res.on("data", (chunk) => (body += chunk));
          res.on("end", () => process.exit(res.statusCode === 200 && body.includes("writableLocations") ? 0 : 2));
        });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", () => process.exit(1));' "$PORT"
}

print_env() {
    local endpoint="https://127.0.0.1:$PORT/"
    echo "export COSMOSDB_SERVER_PID=$1"
    echo "export COSMOSDB_SERVER_REUSED=$2"
    echo "export COSMOSDB_SERVER_ENDPOINT=$endpoint"
    echo "export COSMOSDB_SERVER_KEY='$ACCOUNT_KEY'"
    echo "export COSMOSDB_SERVER_CONNECTION_STRING='AccountEndpoint=$endpoint;AccountKey=$ACCOUNT_KEY;'"
    if [[ -f "$RUN_DIR/cert.pem" ]]; then
        echo "export COSMOSDB_SERVER_CA_CERT=$RUN_DIR/cert.pem"
    else
        echo "unset COSMOSDB_SERVER_CA_CERT"
    fi
}

make_certificate() {
    rm -f "$RUN_DIR/cert.pem" "$RUN_DIR/key.pem"
    if ! command -v openssl >/dev/null 2>&1; then
        log "openssl not found: using the certificate bundled with the server (expired; clients must not verify it)"
        return 0
    fi
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
        -keyout "$RUN_DIR/key.pem" -out "$RUN_DIR/cert.pem" -subj "/CN=127.0.0.1" \
        -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,digitalSignature,keyCertSign" \
        -addext "extendedKeyUsage=serverAuth" >/dev/null 2>&1 || {
        rm -f "$RUN_DIR/cert.pem" "$RUN_DIR/key.pem"
        log "openssl could not make a certificate: using the one bundled with the server"
    }
}

start() {
    need_node
    mkdir -p "$RUN_DIR"
    reuse_running
    install_cached "cosmosdb-server-$VERSION" node_modules/@vercel/cosmosdb-server/package.json
    make_certificate
    local cert="" key=""
    if [[ -f "$RUN_DIR/cert.pem" ]]; then
        cert="$RUN_DIR/cert.pem"
        key="$RUN_DIR/key.pem"
    fi
    launch_and_wait "$TIMEOUT" env COSMOS_SERVER_PKG_DIR="$PKG_DIR" COSMOS_SERVER_PORT="$PORT" \
        COSMOS_SERVER_CERT="$cert" COSMOS_SERVER_KEY="$key" node "$HERE/cosmos-server.js"
}

case "${1:-start}" in
    start) start ;;
    stop) stop_recorded ;;
    *) die "usage: $0 [start|stop]" ;;
esac
