"""Where the Cosmos DB test server for these tests is, and databases that clean up after themselves.

The tests run against a real cosmosdb-server (an in-memory server speaking the Cosmos DB
protocol). ``bash scripts/test.sh`` starts one and exports ``COSMOSDB_SERVER_ENDPOINT`` and
``COSMOSDB_SERVER_KEY``; by hand: ``eval "$(bash scripts/start-cosmos.sh)"``. Without them the
tests look for a server on the default port (see ``require_local_server`` for when they are
skipped instead).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from azure.cosmos.aio import CosmosClient
from azure.cosmos.exceptions import CosmosResourceNotFoundError

from microsoft_agents.hosting.core.testing import require_local_server, throwaway_name
from microsoft_agents.storage.cosmos import CosmosDBStorage, CosmosDBStorageConfig

_DEFAULT_ENDPOINT = "https://127.0.0.1:8081/"
# The emulator's public development key, which works against local servers only.
_DEFAULT_KEY = (
    "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
)


@dataclass(frozen=True)
class CosmosServer:
    endpoint: str
    key: str

    def config(self, database_id: str, container_id: str, **kwargs: Any) -> CosmosDBStorageConfig:
        return CosmosDBStorageConfig(
            cosmos_db_endpoint=self.endpoint,
            auth_key=self.key,
            database_id=database_id,
            container_id=container_id,
            **kwargs,
        )

    def client(self) -> CosmosClient:
        return CosmosClient(self.endpoint, self.key)

    async def delete_database(self, name: str) -> None:
        async with self.client() as client:
            with contextlib.suppress(CosmosResourceNotFoundError):  # maybe never created
                await client.delete_database(name)


@pytest.fixture(scope="session")
def cosmos_server() -> CosmosServer:
    variable = "COSMOSDB_SERVER_ENDPOINT"
    endpoint = require_local_server(
        "cosmosdb-server",
        variable,
        os.environ.get(variable),
        _DEFAULT_ENDPOINT,
        "scripts/start-cosmos.sh",
    )
    return CosmosServer(endpoint, os.environ.get("COSMOSDB_SERVER_KEY", _DEFAULT_KEY))


@pytest.fixture(scope="session")
def shared_database(cosmos_server: CosmosServer) -> Iterator[str]:
    """One database for the tests that use random key prefixes; deleted at the end."""
    with throwaway_name("agents-tests", cosmos_server.delete_database) as name:
        yield name


@pytest.fixture
def fresh_database(cosmos_server: CosmosServer) -> Iterator[str]:
    """A database name of its own for one test (not created); deleted afterwards."""
    with throwaway_name("agents-test", cosmos_server.delete_database) as name:
        yield name


@pytest.fixture
async def cosmos_storage(
    cosmos_server: CosmosServer, shared_database: str
) -> AsyncIterator[CosmosDBStorage]:
    async with CosmosDBStorage(cosmos_server.config(shared_database, "state")) as storage:
        yield storage


@pytest.fixture
async def cosmos_client(cosmos_server: CosmosServer) -> AsyncIterator[CosmosClient]:
    """A plain SDK client, to look at what the storage wrote."""
    async with cosmos_server.client() as client:
        yield client
