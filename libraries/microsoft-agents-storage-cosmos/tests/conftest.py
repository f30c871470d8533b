"""Where the Cosmos DB test server for these tests is, and databases that clean up after themselves.

The tests run against a real cosmosdb-server (an in-memory server speaking the Cosmos DB
protocol). ``bash scripts/test.sh`` starts one and exports ``COSMOSDB_SERVER_ENDPOINT`` and
``COSMOSDB_SERVER_KEY``; by hand: ``eval "$(bash scripts/start-cosmos.sh)"``. Without the
variables the tests look for a server on the default port, and are skipped when there is
none, except in CI (``CI`` set), where a missing server fails the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from azure.cosmos.aio import CosmosClient
from azure.cosmos.exceptions import CosmosResourceNotFoundError

from microsoft_agents.storage.cosmos import CosmosDBStorage, CosmosDBStorageConfig

_DEFAULT_ENDPOINT = "https://127.0.0.1:8081/"
_DEFAULT_KEY = (
    "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
)
_HOW_TO_START = (
    'start it with: eval "$(bash scripts/start-cosmos.sh)" (from the repository root; '
    "needs Node.js 20+), or run the whole suite with bash scripts/test.sh"
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


def _answers(endpoint: str) -> bool:
    parts = urlsplit(endpoint)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 443), 1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def cosmos_server() -> CosmosServer:
    endpoint = os.environ.get("COSMOSDB_SERVER_ENDPOINT")
    if endpoint:
        if not _answers(endpoint):
            pytest.fail(f"COSMOSDB_SERVER_ENDPOINT is set but nothing answers at {endpoint}")
        return CosmosServer(endpoint, os.environ.get("COSMOSDB_SERVER_KEY", _DEFAULT_KEY))
    if _answers(_DEFAULT_ENDPOINT):
        return CosmosServer(_DEFAULT_ENDPOINT, _DEFAULT_KEY)
    message = (
        f"cosmosdb-server is not running (COSMOSDB_SERVER_ENDPOINT is not set); {_HOW_TO_START}"
    )
    if os.environ.get("CI"):
        pytest.fail("CI must run the Cosmos DB storage tests against cosmosdb-server: " + message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_database(cosmos_server: CosmosServer) -> Iterator[str]:
    """One database for the tests that use random key prefixes; deleted at the end."""
    name = f"agents-tests-{uuid.uuid4().hex[:12]}"
    yield name
    _delete_database(cosmos_server, name)


@pytest.fixture
def fresh_database(cosmos_server: CosmosServer) -> Iterator[str]:
    """A database name of its own for one test (not created); deleted afterwards."""
    name = f"agents-test-{uuid.uuid4().hex[:12]}"
    yield name
    _delete_database(cosmos_server, name)


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


def _delete_database(server: CosmosServer, name: str) -> None:
    async def delete() -> None:
        async with server.client() as client:
            with contextlib.suppress(CosmosResourceNotFoundError):
                await client.delete_database(name)

    asyncio.run(delete())
