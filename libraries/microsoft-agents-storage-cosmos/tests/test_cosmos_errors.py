"""Azure errors become CosmosDBStorageError subclasses that say what to check; throttled
requests are retried with the configured settings.

What a real server can produce is provoked on cosmosdb-server. It checks no credentials and
never throttles, so a small loopback server that answers like Cosmos DB stands in for those
tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import web
from azure.core.exceptions import AzureError
from azure.cosmos import PartitionKey
from azure.cosmos.aio import CosmosClient

from microsoft_agents.hosting.core.errors import StorageConflictError, StorageError
from microsoft_agents.hosting.core.storage.storage_contract import ContractItem
from microsoft_agents.storage.cosmos import (
    CosmosDBAuthenticationError,
    CosmosDBConfigurationError,
    CosmosDBConnectionError,
    CosmosDBContainerNotFoundError,
    CosmosDBStorage,
    CosmosDBStorageConfig,
    CosmosDBStorageConflictError,
    CosmosDBStorageError,
    CosmosDBThrottledError,
)

KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
Answer = Callable[[], web.Response]


def error(status: int, **headers: str) -> Answer:
    body = json.dumps({"code": "Error", "message": f"stand-in answer {status}"})
    return lambda: web.Response(
        status=status, text=body, content_type="application/json", headers=headers
    )


def not_found() -> web.Response:
    body = json.dumps({"code": "NotFound", "message": "Entity does not exist"})
    return web.Response(status=404, text=body, content_type="application/json")


class CosmosStandIn:
    """Answers the account and container reads like Cosmos DB, and document requests from
    ``answers`` in turn (the last one repeats); counts the document requests."""

    def __init__(self, answers: list[Answer], *, account: Answer | None = None) -> None:
        self.answers = answers
        self.account = account
        self.document_requests = 0
        self._runner: web.AppRunner | None = None
        self.endpoint = ""

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.path.rstrip("/")
        if path == "":
            if self.account is not None:
                return self.account()
            location = {"name": "Local", "databaseAccountEndpoint": self.endpoint}
            return web.json_response(
                {
                    "id": "stand-in",
                    "_rid": "",
                    "_self": "",
                    "writableLocations": [location],
                    "readableLocations": [location],
                    "enableMultipleWriteLocations": False,
                    "userConsistencyPolicy": {"defaultConsistencyLevel": "Session"},
                }
            )
        if "/docs" in path:
            self.document_requests += 1
            return self.answers[min(self.document_requests, len(self.answers)) - 1]()
        if path.endswith("/pkranges"):
            ranges = [{"id": "0", "minInclusive": "", "maxExclusive": "FF"}]
            return web.json_response({"PartitionKeyRanges": ranges, "_count": 1})
        return web.json_response(  # the container
            {
                "id": "state",
                "_rid": "c0aBAA==",
                "_self": "dbs/c0aBAA==/colls/c0aBAA==/",
                "partitionKey": {"paths": ["/id"], "kind": "Hash", "version": 2},
            }
        )

    def config(self, **options: Any) -> CosmosDBStorageConfig:
        return CosmosDBStorageConfig(
            cosmos_db_endpoint=self.endpoint,
            auth_key=KEY,
            database_id="db",
            container_id="state",
            create_container=False,
            cosmos_client_options=options,
        )

    async def __aenter__(self) -> CosmosStandIn:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.endpoint = f"http://127.0.0.1:{self._runner.addresses[0][1]}/"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()


# -- errors from a real server ------------------------------------------------------------------


async def test_a_missing_container_with_creation_disabled_says_so(
    cosmos_server: Any, fresh_database: str
) -> None:
    config = cosmos_server.config(fresh_database, "state", create_container=False)
    async with CosmosDBStorage(config) as storage:
        with pytest.raises(CosmosDBContainerNotFoundError) as raised:
            await storage.read(["k"], target_cls=ContractItem)
    message = str(raised.value)
    assert fresh_database in message and "create_container=False" in message
    assert isinstance(raised.value, StorageError)
    assert isinstance(raised.value.__cause__, AzureError)


async def test_creation_disabled_works_once_the_container_exists(
    cosmos_server: Any, fresh_database: str, cosmos_client: CosmosClient
) -> None:
    database = await cosmos_client.create_database(fresh_database)
    await database.create_container("state", partition_key=PartitionKey("/id"))
    config = cosmos_server.config(fresh_database, "state", create_container=False)
    async with CosmosDBStorage(config) as storage:
        await storage.write({"k": ContractItem({"v": 1})})
        assert (await storage.read(["k"], target_cls=ContractItem))["k"].data == {"v": 1}


async def test_a_container_with_a_custom_partition_key_path_is_refused(
    cosmos_server: Any, fresh_database: str, cosmos_client: CosmosClient
) -> None:
    database = await cosmos_client.create_database(fresh_database)
    await database.create_container("state", partition_key=PartitionKey("/tenant"))
    async with CosmosDBStorage(cosmos_server.config(fresh_database, "state")) as storage:
        with pytest.raises(
            CosmosDBConfigurationError, match="Custom Partition Key Paths"
        ) as raised:
            await storage.write({"k": ContractItem({})})
    assert "/tenant" in str(raised.value)


async def test_a_conflict_is_both_the_core_and_the_cosmos_error(
    cosmos_storage: CosmosDBStorage,
) -> None:
    await cosmos_storage.write({"conflict-key": ContractItem({})})
    item = ContractItem({})
    item.e_tag = "not-the-current-etag"
    with pytest.raises(StorageConflictError) as raised:
        await cosmos_storage.write({"conflict-key": item})
    assert isinstance(raised.value, CosmosDBStorageConflictError)
    assert isinstance(raised.value, CosmosDBStorageError)
    assert raised.value.key == "conflict-key"


async def test_a_document_the_target_class_cannot_take_is_a_type_error(
    cosmos_storage: CosmosDBStorage,
) -> None:
    class Picky(ContractItem):
        @staticmethod
        def from_json_to_store_item(json_data: Any) -> ContractItem:
            raise AttributeError("no such field")

    await cosmos_storage.write({"picky": ContractItem({"v": 1})})
    with pytest.raises(TypeError, match="Picky"):
        await cosmos_storage.read(["picky"], target_cls=Picky)


async def test_an_item_that_serialises_to_none_is_a_value_error(
    cosmos_storage: CosmosDBStorage,
) -> None:
    class Empty(ContractItem):
        def store_item_to_json(self) -> Any:
            return None

    with pytest.raises(ValueError, match="None"):
        await cosmos_storage.write({"empty": Empty()})


async def test_an_unreachable_service_is_reported_with_its_address() -> None:
    config = CosmosDBStorageConfig(
        cosmos_db_endpoint="https://127.0.0.1:9/",
        auth_key=KEY,
        database_id="db",
        container_id="state",
        cosmos_client_options={"retry_total": 0, "retry_connect": 0},
    )
    async with CosmosDBStorage(config) as storage:
        with pytest.raises(CosmosDBConnectionError, match=r"127\.0\.0\.1:9") as raised:
            await storage.read(["k"], target_cls=ContractItem)
    assert "start-cosmos" in str(raised.value)


# -- stand-in ----------------------------------------------------------------------------------


async def test_refused_credentials_are_reported_as_an_authentication_error() -> None:
    async with (
        CosmosStandIn([error(401)], account=error(401)) as stand_in,
        CosmosDBStorage(stand_in.config()) as storage,
    ):
        with pytest.raises(CosmosDBAuthenticationError) as raised:
            await storage.read(["k"], target_cls=ContractItem)
    assert raised.value.status_code == 401
    assert "auth_key" in str(raised.value)


async def test_forbidden_document_requests_are_reported_as_an_authentication_error() -> None:
    async with (
        CosmosStandIn([error(403)]) as stand_in,
        CosmosDBStorage(stand_in.config()) as storage,
    ):
        with pytest.raises(CosmosDBAuthenticationError, match="Data Contributor"):
            await storage.write({"k": ContractItem({})})


async def test_throttled_requests_are_retried_then_reported() -> None:
    throttled = error(429, **{"x-ms-retry-after-ms": "1"})
    async with (
        CosmosStandIn([throttled]) as stand_in,
        CosmosDBStorage(stand_in.config(retry_total=2)) as storage,
    ):
        with pytest.raises(CosmosDBThrottledError) as raised:
            await storage.read(["k"], target_cls=ContractItem)
    assert stand_in.document_requests == 3  # the first try and retry_total retries
    assert raised.value.status_code == 429
    assert "retry_total" in str(raised.value)


async def test_transient_throttling_is_invisible_to_the_caller() -> None:
    throttled = error(429, **{"x-ms-retry-after-ms": "1"})
    async with (
        CosmosStandIn([throttled, throttled, not_found]) as stand_in,
        CosmosDBStorage(stand_in.config(retry_total=5)) as storage,
    ):
        assert await storage.read(["k"], target_cls=ContractItem) == {}
    assert stand_in.document_requests == 3


async def test_a_transient_503_is_retried_by_the_sdk() -> None:
    async with (
        CosmosStandIn([error(503), not_found]) as stand_in,
        CosmosDBStorage(stand_in.config()) as storage,
    ):
        assert await storage.read(["k"], target_cls=ContractItem) == {}
    assert stand_in.document_requests == 2


async def test_a_lasting_503_is_reported_as_throttled() -> None:
    async with (
        CosmosStandIn([error(503)]) as stand_in,
        CosmosDBStorage(stand_in.config()) as storage,
    ):
        with pytest.raises(CosmosDBThrottledError) as raised:
            await storage.read(["k"], target_cls=ContractItem)
    assert raised.value.status_code == 503
    assert stand_in.document_requests >= 2
