"""Where the Azurite server for these tests is, and containers that clean up after themselves.

The tests run against a real Azurite server. ``bash scripts/test.sh`` starts one and exports
``AZURITE_CONNECTION_STRING`` (and ``AZURITE_BLOB_ENDPOINT``); by hand:
``eval "$(bash scripts/start-azurite.sh)"``. Without them the tests look for Azurite on its
default port (see ``require_local_server`` for when they are skipped instead).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import Any

import pytest
from azure.core.exceptions import ResourceNotFoundError
from azure.storage.blob.aio import BlobServiceClient

from microsoft_agents.hosting.core.testing import require_local_server, throwaway_name
from microsoft_agents.storage.blob import BlobStorage, BlobStorageConfig

# Azurite's public development account, which works against Azurite only.
_DEFAULT_ENDPOINT = "http://127.0.0.1:10000/devstoreaccount1"
_DEFAULT_CONNECTION_STRING = (
    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
    f"BlobEndpoint={_DEFAULT_ENDPOINT};"
)


@pytest.fixture(scope="session")
def azurite_connection_string() -> str:
    given = os.environ.get("AZURITE_CONNECTION_STRING")
    endpoint = os.environ.get("AZURITE_BLOB_ENDPOINT", _DEFAULT_ENDPOINT) if given else None
    script = "scripts/start-azurite.sh"
    require_local_server(
        "Azurite", "AZURITE_CONNECTION_STRING", endpoint, _DEFAULT_ENDPOINT, script
    )
    return given or _DEFAULT_CONNECTION_STRING


@pytest.fixture(scope="session")
def shared_container(azurite_connection_string: str) -> Iterator[str]:
    """One container for the tests that use random key prefixes; deleted at the end."""
    with throwaway_name("agents-tests", _deleter(azurite_connection_string)) as name:
        yield name


@pytest.fixture
def fresh_container(azurite_connection_string: str) -> Iterator[str]:
    """A container name of its own for one test (not created); deleted afterwards."""
    with throwaway_name("agents-test", _deleter(azurite_connection_string)) as name:
        yield name


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


def _deleter(connection_string: str) -> Callable[[str], Coroutine[Any, Any, None]]:
    async def delete(name: str) -> None:
        async with BlobServiceClient.from_connection_string(connection_string) as service:
            with contextlib.suppress(ResourceNotFoundError):  # it may never have been created
                await service.delete_container(name)

    return delete
