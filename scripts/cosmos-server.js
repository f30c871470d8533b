// Runs @vercel/cosmosdb-server (an in-memory server speaking the Cosmos DB NoSQL REST
// protocol) on 127.0.0.1 over HTTPS. Started by scripts/start-cosmos.sh, which passes:
//   COSMOS_SERVER_PKG_DIR  npm prefix the package is installed under
//   COSMOS_SERVER_PORT     port to listen on
//   COSMOS_SERVER_CERT, COSMOS_SERVER_KEY  PEM files of the TLS certificate (optional: without
//                          them the certificate bundled with the package is used)
"use strict";
const fs = require("fs");
const path = require("path");

const pkgRoot = path.join(process.env.COSMOS_SERVER_PKG_DIR, "node_modules", "@vercel", "cosmosdb-server", "lib");
const load = (relative) => require(path.join(pkgRoot, relative));

// The stock handler of a point read crashes with 500 when the document does not exist
// (it indexes into an undefined document); Cosmos DB answers 404 NotFound. Wrap the handler
// before routes.js is loaded, because routes.js keeps a reference to it.
const readDocument = load("handler/read-document.js");
const partitionHeader = load("utils/get-partition-from-header.js");
const stockRead = readDocument.default;
readDocument.default = (account, req, res, params) => {
  const collection = account.database(params.dbId).collection(params.collId);
  const header = partitionHeader.default(req);
  if (collection.read() && header !== undefined) {
    let partition;
    try {
      partition = partitionHeader.parsePartitionKey(header, params.docId);
    } catch (error) {
      partition = undefined;
    }
    if (partition !== undefined && !collection.document(params.docId, partition).read()) {
      res.statusCode = 404;
      return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
    }
  }
  return stockRead(account, req, res, params);
};

const { createHttpsServer } = load("index.js");
const options = {};
if (process.env.COSMOS_SERVER_CERT && process.env.COSMOS_SERVER_KEY) {
  options.cert = fs.readFileSync(process.env.COSMOS_SERVER_CERT);
  options.key = fs.readFileSync(process.env.COSMOS_SERVER_KEY);
}
const server = createHttpsServer(options);
const port = Number(process.env.COSMOS_SERVER_PORT);
server.on("error", (error) => {
  console.error(`cosmosdb-server: ${error.message}`);
  process.exit(1);
});
server.listen(port, "127.0.0.1", () => console.log(`cosmosdb-server listening on https://127.0.0.1:${port}/`));
const shutdown = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
