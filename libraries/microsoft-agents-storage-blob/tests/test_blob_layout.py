"""What BlobStorage leaves in the container, and how it reads what others (older SDKs, other
tools) wrote there: one blob of UTF-8 JSON per key, named by the key itself."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from azure.storage.blob.aio import BlobServiceClient

from microsoft_agents.hosting.core.errors import StorageConflictError
from microsoft_agents.hosting.core.storage import StoreItem
from microsoft_agents.hosting.core.storage.storage_contract import ContractItem
from microsoft_agents.hosting.core.testing import StorageClientLifecycleTests
from microsoft_agents.storage.blob import BlobStorage, BlobStorageConfig

TEAMS_KEY = "msteams/conversations/19:meeting_Mzk2@thread.v2;messageid=1712345678901"


async def test_each_key_is_a_blob_of_json_named_by_the_key(
    blob_storage: BlobStorage, blob_service: BlobServiceClient, shared_container: str
) -> None:
    document = {"text": "héllo ✓", "nested": {"list": [1, None, True]}}
    item = ContractItem(document)
    await blob_storage.write({TEAMS_KEY: item})

    blob = blob_service.get_blob_client(shared_container, TEAMS_KEY)
    downloaded = await blob.download_blob()
    content = await downloaded.readall()
    assert json.loads(content.decode("utf-8")) == document
    assert content == json.dumps(document).encode("utf-8")
    assert item.e_tag == downloaded.properties.etag
    names = [
        blob.name
        async for blob in blob_service.get_container_client(shared_container).list_blobs(
            name_starts_with="msteams/conversations/19:meeting"
        )
    ]
    assert TEAMS_KEY in names


async def test_blobs_written_by_other_tools_are_read_with_their_etag(
    blob_storage: BlobStorage, blob_service: BlobServiceClient, shared_container: str
) -> None:
    key = "emulator/users/written-elsewhere"
    await blob_storage.write({"warm-up": ContractItem({})})  # the container exists now
    blob = blob_service.get_blob_client(shared_container, key)
    uploaded = await blob.upload_blob(b'{"name": "older sdk"}', overwrite=True)

    item = (await blob_storage.read([key], target_cls=ContractItem))[key]
    assert item.data == {"name": "older sdk"}
    assert item.e_tag == uploaded["etag"]

    await blob.upload_blob(b'{"name": "changed by someone else"}', overwrite=True)
    item.data["name"] = "mine"
    with pytest.raises(StorageConflictError):  # the blob changed since it was read
        await blob_storage.write({key: item})
    assert json.loads(await (await blob.download_blob()).readall()) == {
        "name": "changed by someone else"
    }


async def test_code_that_ignores_etags_keeps_last_writer_wins(blob_storage: BlobStorage) -> None:
    class Plain(StoreItem):  # never touches e_tag, like code written for the published SDK
        def __init__(self, value: int) -> None:
            self.value = value

        def store_item_to_json(self) -> dict[str, int]:
            return {"value": self.value}

        @staticmethod
        def from_json_to_store_item(json_data: dict[str, int]) -> Plain:  # type: ignore[override]
            return Plain(json_data["value"])

    first = (await blob_storage.read(["plain"], target_cls=Plain)).get("plain")
    assert first is None
    await blob_storage.write({"plain": Plain(1)})
    await blob_storage.write({"plain": Plain(2)})
    assert (await blob_storage.read(["plain"], target_cls=Plain))["plain"].value == 2


class TestBlobClientLifecycle(StorageClientLifecycleTests):
    @pytest.fixture
    def open_storage(
        self, azurite_connection_string: str, fresh_container: str
    ) -> Callable[[], BlobStorage]:
        config = BlobStorageConfig(fresh_container, connection_string=azurite_connection_string)
        return lambda: BlobStorage(config)
