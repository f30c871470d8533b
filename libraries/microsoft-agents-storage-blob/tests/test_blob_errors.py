"""Azure errors become BlobStorageError subclasses that say what to check; busy answers are
retried with the configured settings.

Errors a real server can produce are provoked on Azurite. Throttling cannot be, so a small
loopback server that answers like a busy Blob service stands in for those tests.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import web
from azure.core.exceptions import AzureError
from azure.storage.blob.aio import BlobServiceClient

from microsoft_agents.hosting.core.errors import StorageConflictError, StorageError
from microsoft_agents.hosting.core.storage.storage_contract import ContractItem
from microsoft_agents.storage.blob import (
    BlobAuthenticationError,
    BlobConnectionError,
    BlobContainerNotFoundError,
    BlobStorage,
    BlobStorageConfig,
    BlobStorageConflictError,
    BlobStorageError,
    BlobThrottledError,
)

KEY = "a2V5"  # any base64 key: the stand-in does not check signatures
FAST_RETRIES = {"initial_backoff": 0, "increment_base": 0, "random_jitter_range": 0}


class BusyBlobService:
    """Answers container creation with 201 and every blob request from ``answers`` in turn
    (the last one repeats); records the requests it gets."""

    def __init__(self, answers: list[Callable[[], web.Response]]) -> None:
        self.answers = answers
        self.requests: list[tuple[str, str]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def _handle(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path_qs))
        if request.query.get("restype") == "container":
            return web.Response(status=201, headers={"ETag": '"0x1"'})
        blob_requests = sum(1 for _, path in self.requests if "restype=container" not in path)
        return self.answers[min(blob_requests, len(self.answers)) - 1]()

    @property
    def connection_string(self) -> str:
        endpoint = f"http://127.0.0.1:{self.port}/devstoreaccount1"
        return (
            f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={KEY};"
            f"BlobEndpoint={endpoint};"
        )

    @property
    def blob_requests(self) -> int:
        return sum(1 for _, path in self.requests if "restype=container" not in path)

    async def __aenter__(self) -> BusyBlobService:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()


def busy(status: int, code: str, **headers: str) -> Callable[[], web.Response]:
    return lambda: web.Response(status=status, headers={"x-ms-error-code": code, **headers})


def not_found() -> web.Response:
    return web.Response(status=404, headers={"x-ms-error-code": "BlobNotFound"})


@pytest.fixture
async def bad_key_storage(
    azurite_connection_string: str, shared_container: str
) -> AsyncIterator[BlobStorage]:
    wrong = azurite_connection_string.replace("AccountKey=", "AccountKey=AAAA")
    config = BlobStorageConfig(shared_container, connection_string=wrong)
    async with BlobStorage(config) as storage:
        yield storage


# -- errors from a real server ------------------------------------------------------------------


async def test_a_wrong_account_key_is_reported_as_an_authentication_error(
    bad_key_storage: BlobStorage,
) -> None:
    with pytest.raises(BlobAuthenticationError) as raised:
        await bad_key_storage.read(["k"], target_cls=ContractItem)
    error = raised.value
    assert isinstance(error, StorageError)
    assert error.status_code == 403
    assert "AccountKey" in str(error) and "Storage Blob Data Contributor" in str(error)
    assert isinstance(error.__cause__, AzureError)


async def test_a_missing_container_with_creation_disabled_says_so(
    azurite_connection_string: str, fresh_container: str
) -> None:
    config = BlobStorageConfig(
        fresh_container, connection_string=azurite_connection_string, create_container=False
    )
    async with BlobStorage(config) as storage:
        for operation in (
            storage.read(["k"], target_cls=ContractItem),
            storage.write({"k": ContractItem({})}),
            storage.delete(["k"]),
        ):
            with pytest.raises(BlobContainerNotFoundError) as raised:
                await operation
            assert fresh_container in str(raised.value)
            assert "create_container=False" in str(raised.value)


async def test_creation_disabled_works_once_the_container_exists(
    azurite_connection_string: str, fresh_container: str, blob_service: BlobServiceClient
) -> None:
    await blob_service.create_container(fresh_container)
    config = BlobStorageConfig(
        fresh_container, connection_string=azurite_connection_string, create_container=False
    )
    async with BlobStorage(config) as storage:
        await storage.write({"k": ContractItem({"v": 1})})
        assert (await storage.read(["k"], target_cls=ContractItem))["k"].data == {"v": 1}


async def test_a_container_deleted_after_first_use_is_reported(
    azurite_connection_string: str, fresh_container: str, blob_service: BlobServiceClient
) -> None:
    config = BlobStorageConfig(fresh_container, connection_string=azurite_connection_string)
    async with BlobStorage(config) as storage:
        await storage.write({"k": ContractItem({})})
        await blob_service.delete_container(fresh_container)
        with pytest.raises(BlobContainerNotFoundError, match="gone"):
            await storage.write({"k": ContractItem({})})


async def test_a_conflict_is_both_the_core_and_the_blob_error(
    blob_storage: BlobStorage, shared_container: str
) -> None:
    await blob_storage.write({"conflict-key": ContractItem({})})
    item = ContractItem({})
    item.e_tag = '"0x8D0000000000000"'
    with pytest.raises(StorageConflictError) as raised:
        await blob_storage.write({"conflict-key": item})
    assert isinstance(raised.value, BlobStorageConflictError)
    assert isinstance(raised.value, BlobStorageError)
    assert raised.value.key == "conflict-key"


async def test_an_unreachable_service_is_reported_with_its_address() -> None:
    config = BlobStorageConfig(
        "state",
        connection_string=(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            f"AccountKey={KEY};BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;"
        ),
        client_options={"retry_total": 0},
    )
    async with BlobStorage(config) as storage:
        with pytest.raises(BlobConnectionError, match=r"127\.0\.0\.1:9") as raised:
            await storage.read(["k"], target_cls=ContractItem)
    assert "start-azurite" in str(raised.value)


async def test_a_document_the_target_class_cannot_take_is_a_type_error(
    blob_storage: BlobStorage,
) -> None:
    class Picky(ContractItem):
        @staticmethod
        def from_json_to_store_item(json_data: Any) -> ContractItem:
            raise AttributeError("no such field")

    await blob_storage.write({"picky": ContractItem({"v": 1})})
    with pytest.raises(TypeError, match="Picky"):
        await blob_storage.read(["picky"], target_cls=Picky)


async def test_an_item_that_serialises_to_none_is_a_value_error(blob_storage: BlobStorage) -> None:
    class Empty(ContractItem):
        def store_item_to_json(self) -> Any:
            return None

    with pytest.raises(ValueError, match="None"):
        await blob_storage.write({"empty": Empty()})


# -- busy service (stand-in) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        busy(503, "ServerBusy"),
        busy(500, "OperationTimedOut"),
        busy(429, "TooManyRequests", **{"Retry-After": "0"}),
    ],
)
async def test_busy_answers_are_retried_then_reported(answer: Callable[[], web.Response]) -> None:
    async with BusyBlobService([answer]) as service:
        config = BlobStorageConfig(
            "state",
            connection_string=service.connection_string,
            client_options={"retry_total": 2, **FAST_RETRIES},
        )
        async with BlobStorage(config) as storage:
            with pytest.raises(BlobThrottledError) as raised:
                await storage.read(["k"], target_cls=ContractItem)
    assert service.blob_requests == 3  # the first try and retry_total retries
    assert "retry_total" in str(raised.value)
    assert raised.value.status_code == answer().status


async def test_a_transient_busy_answer_is_invisible_to_the_caller() -> None:
    async with BusyBlobService(
        [busy(503, "ServerBusy"), busy(429, "TooManyRequests", **{"Retry-After": "0"}), not_found]
    ) as service:
        config = BlobStorageConfig(
            "state",
            connection_string=service.connection_string,
            client_options={"retry_total": 3, **FAST_RETRIES},
        )
        async with BlobStorage(config) as storage:
            assert await storage.read(["k"], target_cls=ContractItem) == {}
            assert await storage.read(["k"], target_cls=ContractItem) == {}
    assert service.blob_requests == 4
    # The container is created once per storage, not before every operation.
    assert [method for method, path in service.requests if "restype=container" in path] == ["PUT"]


async def test_retries_are_off_with_retry_total_zero() -> None:
    async with BusyBlobService([busy(503, "ServerBusy")]) as service:
        config = BlobStorageConfig(
            "state", connection_string=service.connection_string, client_options={"retry_total": 0}
        )
        async with BlobStorage(config) as storage:
            with pytest.raises(BlobThrottledError):
                await storage.write({"k": ContractItem({"v": json.dumps({})})})
    assert service.blob_requests == 1
