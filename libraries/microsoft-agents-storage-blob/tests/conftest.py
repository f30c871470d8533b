"""Where the Azurite server for these tests is, and containers that clean up after themselves.

The tests run against a real Azurite server. ``bash scripts/test.sh`` starts one and exports
``AZURITE_CONNECTION_STRING``; by hand: ``eval "$(bash scripts/start-azurite.sh)"``. Without
the variable the tests look for Azurite on its default port, and are skipped when there is
none, except in CI (``CI`` set), where a missing server fails the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import pytest
from azure.core.exceptions import ResourceNotFoundError
from azure.storage.blob.aio import BlobServiceClient

from microsoft_agents.storage.blob import BlobStorage, BlobStorageConfig

_DEFAULT_ENDPOINT = "http://127.0.0.1:10000/devstoreaccount1"
_DEFAULT_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
_HOW_TO_START = (
    'start it with: eval "$(bash scripts/start-azurite.sh)" (from the repository root; '
    "needs Node.js 20+), or run the whole suite with bash scripts/test.sh"
)


def _answers(endpoint: str) -> bool:
    parts = urlsplit(endpoint)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), 1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def azurite_connection_string() -> str:
    given = os.environ.get("AZURITE_CONNECTION_STRING")
    if given:
        endpoint = os.environ.get("AZURITE_BLOB_ENDPOINT", _DEFAULT_ENDPOINT)
        if not _answers(endpoint):
            pytest.fail(f"AZURITE_CONNECTION_STRING is set but nothing answers at {endpoint}")
        return given
    if _answers(_DEFAULT_ENDPOINT):
        return (
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            f"AccountKey={_DEFAULT_KEY};BlobEndpoint={_DEFAULT_ENDPOINT};"
        )
    message = f"Azurite is not running (AZURITE_CONNECTION_STRING is not set); {_HOW_TO_START}"
    if os.environ.get("CI"):
        pytest.fail("CI must run the Blob storage tests against Azurite: " + message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_container(azurite_connection_string: str) -> Iterator[str]:
    """One container for the tests that use random key prefixes; deleted at the end."""
    name = f"agents-tests-{uuid.uuid4().hex[:12]}"
    yield name
    _delete_container(azurite_connection_string, name)


@pytest.fixture
def fresh_container(azurite_connection_string: str) -> Iterator[str]:
    """A container name of its own for one test (not created); deleted afterwards."""
    name = f"agents-test-{uuid.uuid4().hex[:12]}"
    yield name
    _delete_container(azurite_connection_string, name)


@pytest.fixture
async def blob_storage(
    azurite_connection_string: str, shared_container: str
) -> AsyncIterator[BlobStorage]:
    config = BlobStorageConfig(shared_container, connection_string=azurite_connection_string)
    async with BlobStorage(config) as storage:
        yield storage


@pytest.fixture
async def blob_service(azurite_connection_string: str) -> AsyncIterator[BlobServiceClient]:
    """A plain SDK client, to look at what the storage wrote."""
    async with BlobServiceClient.from_connection_string(azurite_connection_string) as service:
        yield service


def _delete_container(connection_string: str, name: str) -> None:
    async def delete() -> None:
        async with BlobServiceClient.from_connection_string(connection_string) as service:
            with contextlib.suppress(ResourceNotFoundError):  # it may never have been created
                await service.delete_container(name)

    asyncio.run(delete())
