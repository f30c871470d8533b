"""What CosmosDBStorage leaves in the container, and how it reads what older SDKs wrote:
``{"id": <escaped key>, "realId": <key>, "document": <item>}`` partitioned on ``/id``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from azure.cosmos import PartitionKey
from azure.cosmos.aio import CosmosClient
from azure.cosmos.partition_key import NonePartitionKeyValue

from microsoft_agents.hosting.core.errors import StorageConflictError
from microsoft_agents.hosting.core.storage.storage_contract import ContractItem
from microsoft_agents.hosting.core.testing import StorageClientLifecycleTests
from microsoft_agents.storage.cosmos import CosmosDBStorage, sanitize_key

TEAMS_KEY = "msteams/conversations/19:meeting_Mzk2@thread.v2;messageid=1712345678901"


async def test_each_key_is_a_document_with_id_real_id_and_document(
    cosmos_storage: CosmosDBStorage, cosmos_client: CosmosClient, shared_database: str
) -> None:
    item = ContractItem({"text": "héllo ✓", "nested": {"list": [1, None]}})
    await cosmos_storage.write({TEAMS_KEY: item})

    container = cosmos_client.get_database_client(shared_database).get_container_client("state")
    document_id = "msteams*47conversations*4719:meeting_Mzk2@thread.v2;messageid=1712345678901"
    stored = await container.read_item(document_id, partition_key=document_id)
    assert {key: stored[key] for key in ("id", "realId", "document")} == {
        "id": document_id,
        "realId": TEAMS_KEY,
        "document": {"text": "héllo ✓", "nested": {"list": [1, None]}},
    }
    assert item.e_tag == stored["_etag"]
    properties = await container.read()
    assert properties["partitionKey"]["paths"] == ["/id"]


async def test_documents_written_by_others_are_read_with_their_etag(
    cosmos_storage: CosmosDBStorage, cosmos_client: CosmosClient, shared_database: str
) -> None:
    key = "emulator/users/written-elsewhere"
    await cosmos_storage.write({"warm-up": ContractItem({})})  # the container exists now
    container = cosmos_client.get_database_client(shared_database).get_container_client("state")
    body = {"id": sanitize_key(key, compatibility_mode=False), "realId": key}
    written = await container.upsert_item({**body, "document": {"name": "older sdk"}})

    item = (await cosmos_storage.read([key], target_cls=ContractItem))[key]
    assert item.data == {"name": "older sdk"}
    assert item.e_tag == written["_etag"]

    await container.upsert_item({**body, "document": {"name": "changed by someone else"}})
    item.data["name"] = "mine"
    with pytest.raises(StorageConflictError):
        await cosmos_storage.write({key: item})
    assert (await cosmos_storage.read([key], target_cls=ContractItem))[key].data == {
        "name": "changed by someone else"
    }


async def test_the_key_suffix_ends_every_id(
    cosmos_server: Any, fresh_database: str, cosmos_client: CosmosClient
) -> None:
    config = cosmos_server.config(fresh_database, "state", key_suffix="-bot1")
    async with CosmosDBStorage(config) as storage:
        await storage.write({"a/b": ContractItem({"v": 1})})
        assert (await storage.read(["a/b"], target_cls=ContractItem))["a/b"].data == {"v": 1}
    container = cosmos_client.get_database_client(fresh_database).get_container_client("state")
    stored = await container.read_item("a*47b-bot1", partition_key="a*47b-bot1")
    assert stored["realId"] == "a/b"


async def test_compatibility_mode_hashes_long_keys_and_reads_them_back(
    cosmos_server: Any, fresh_database: str, cosmos_client: CosmosClient
) -> None:
    config = cosmos_server.config(fresh_database, "state", compatibility_mode=True)
    long_keys = ["msteams/conversations/" + "x" * 300 + end for end in ("1", "2")]
    async with CosmosDBStorage(config) as storage:
        await storage.write({key: ContractItem({"end": key[-1]}) for key in long_keys})
        items = await storage.read(long_keys, target_cls=ContractItem)
    assert {key: item.data["end"] for key, item in items.items()} == {
        long_keys[0]: "1",
        long_keys[1]: "2",
    }
    container = cosmos_client.get_database_client(fresh_database).get_container_client("state")
    ids = [sanitize_key(key) for key in long_keys]
    assert all(len(document_id) == 255 for document_id in ids)
    stored = await container.read_item(ids[0], partition_key=ids[0])
    assert stored["realId"] == long_keys[0]


async def test_containers_of_older_sdks_partitioned_on_partition_key_work_with_etags(
    cosmos_server: Any, fresh_database: str, cosmos_client: CosmosClient
) -> None:
    database = await cosmos_client.create_database(fresh_database)
    legacy = await database.create_container("state", partition_key=PartitionKey("/_partitionKey"))
    await legacy.upsert_item({"id": "old*47key", "realId": "old/key", "document": {"v": 1}})

    async with CosmosDBStorage(cosmos_server.config(fresh_database, "state")) as storage:
        item = (await storage.read(["old/key"], target_cls=ContractItem))["old/key"]
        assert item.data == {"v": 1}
        stale = item.e_tag
        item.data["v"] = 2
        await storage.write({"old/key": item})
        assert item.e_tag != stale
        outdated = ContractItem({"v": "lost"})
        outdated.e_tag = stale
        with pytest.raises(StorageConflictError):
            await storage.write({"old/key": outdated})
        await storage.write({"new/key": ContractItem({"v": 3})})
        await storage.delete(["old/key"])
        assert sorted(await storage.read(["old/key", "new/key"], target_cls=ContractItem)) == [
            "new/key"
        ]
    stored = await legacy.read_item("new*47key", partition_key=NonePartitionKeyValue)
    assert stored["document"] == {"v": 3}


class TestCosmosClientLifecycle(StorageClientLifecycleTests):
    @pytest.fixture
    def open_storage(
        self, cosmos_server: Any, fresh_database: str
    ) -> Callable[[], CosmosDBStorage]:
        config = cosmos_server.config(fresh_database, "state")
        return lambda: CosmosDBStorage(config)
