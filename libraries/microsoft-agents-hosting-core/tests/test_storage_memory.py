"""MemoryStorage: the shared storage contract plus what is specific to the in-memory store."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from microsoft_agents.hosting.core.errors import StorageConflictError
from microsoft_agents.hosting.core.storage import (
    ETAG_CREATE_ONLY,
    AsyncStorageBase,
    MemoryStorage,
    Storage,
    StoreItem,
    ignore_error,
    is_status_code_error,
)
from microsoft_agents.hosting.core.storage.storage_contract import (
    ContractItem,
    StorageContractTests,
)


class TestMemoryStorageContract(StorageContractTests):
    atomic_multi_key_writes = True

    @pytest.fixture
    def storage(self) -> Storage:
        return MemoryStorage()


class TestMemoryStorageOverASeededDict(StorageContractTests):
    """The contract also holds when the caller hands in the dict to keep documents in."""

    atomic_multi_key_writes = True

    @pytest.fixture
    def storage(self) -> Storage:
        return MemoryStorage({"unrelated": {"v": 1}})


async def test_seeded_documents_are_readable_with_an_etag() -> None:
    storage = MemoryStorage({"seed": {"v": 1}})
    item = (await storage.read(["seed"], target_cls=ContractItem))["seed"]
    assert item.data == {"v": 1}
    assert item.e_tag
    item.data["v"] = 2
    await storage.write({"seed": item})  # the handed-out eTag is honoured
    assert (await storage.read(["seed"], target_cls=ContractItem))["seed"].data == {"v": 2}


async def test_documents_are_kept_in_the_given_dict_as_plain_json() -> None:
    backing: dict[str, Any] = {}
    storage = MemoryStorage(backing)
    await storage.write({"k": ContractItem({"v": [1, 2]})})
    assert backing == {"k": {"v": [1, 2]}}
    await storage.delete(["k"])
    assert backing == {}


async def test_multi_key_conflict_writes_none_of_the_keys() -> None:
    backing: dict[str, Any] = {}
    storage = MemoryStorage(backing)
    await storage.write({"exists": ContractItem({"v": "kept"})})
    fresh = ContractItem({"v": "fresh"})
    clash = ContractItem({"v": "clash"})
    clash.e_tag = ETAG_CREATE_ONLY
    with pytest.raises(StorageConflictError) as raised:
        await storage.write({"fresh": fresh, "exists": clash})
    assert raised.value.key == "exists"
    assert backing == {"exists": {"v": "kept"}}
    assert fresh.e_tag is None and clash.e_tag == ETAG_CREATE_ONLY


async def test_a_single_string_is_not_taken_for_a_list_of_keys() -> None:
    storage = MemoryStorage({"a": {}})
    with pytest.raises(TypeError):
        await storage.read("a", target_cls=ContractItem)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        await storage.delete("a")  # type: ignore[arg-type]


async def test_writing_something_that_is_not_a_store_item_is_refused() -> None:
    storage = MemoryStorage()
    with pytest.raises(TypeError):
        await storage.write({"k": {"v": 1}})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        await storage.write({"k": None})  # type: ignore[dict-item]


def test_state_must_be_a_dict() -> None:
    with pytest.raises(TypeError):
        MemoryStorage([("k", {})])  # type: ignore[arg-type]


def test_a_storage_can_be_shared_between_event_loops_and_threads() -> None:
    import asyncio

    storage = MemoryStorage()
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        async def run() -> None:
            for round_ in range(50):
                await storage.write({f"t{number}": ContractItem({"round": round_})})
                await storage.read([f"t{number}"], target_cls=ContractItem)

        try:
            asyncio.run(run())
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = asyncio.run(storage.read([f"t{n}" for n in range(4)], target_cls=ContractItem))
    assert {key: item.data for key, item in result.items()} == {
        f"t{n}": {"round": 49} for n in range(4)
    }


# -- AsyncStorageBase -------------------------------------------------------------------------


class DictBackedStorage(AsyncStorageBase):
    """A small per-key store (JSON text per key, like a blob) used to check what
    AsyncStorageBase adds around the backend."""

    def __init__(self) -> None:
        self.documents: dict[str, tuple[str, str]] = {}  # key -> (JSON text, eTag)
        self.initialize_calls = 0
        self.write_calls: list[str] = []
        self._version = 0

    async def initialize(self) -> None:
        self.initialize_calls += 1

    async def _read_item(
        self, key: str, *, target_cls: type[Any], **kwargs: Any
    ) -> tuple[str | None, Any]:
        if key not in self.documents:
            return None, None
        document, e_tag = self.documents[key]
        item = target_cls.from_json_to_store_item(json.loads(document))
        item.e_tag = e_tag
        return key, item

    async def _write_item(self, key: str, item: StoreItem) -> None:
        self.write_calls.append(key)
        condition = item.e_tag
        current = self.documents.get(key)
        if condition == ETAG_CREATE_ONLY and current is not None:
            raise StorageConflictError(key)
        if condition not in (None, "*", ETAG_CREATE_ONLY) and (
            current is None or current[1] != condition
        ):
            raise StorageConflictError(key)
        self._version += 1
        self.documents[key] = (json.dumps(item.store_item_to_json()), f"v{self._version}")
        item.e_tag = f"v{self._version}"

    async def _delete_item(self, key: str) -> None:
        self.documents.pop(key, None)


class TestAsyncStorageBaseContract(StorageContractTests):
    atomic_multi_key_writes = False

    @pytest.fixture
    def storage(self) -> Storage:
        return DictBackedStorage()


async def test_initialize_runs_before_every_bulk_operation() -> None:
    storage = DictBackedStorage()
    await storage.write({"a": ContractItem({})})
    await storage.read(["a"], target_cls=ContractItem)
    await storage.delete(["a"])
    assert storage.initialize_calls == 3


async def test_bad_arguments_are_refused_before_initialize() -> None:
    storage = DictBackedStorage()
    with pytest.raises(ValueError):
        await storage.write({})
    with pytest.raises(ValueError):
        await storage.read([""], target_cls=ContractItem)
    assert storage.initialize_calls == 0


async def test_every_key_of_a_failing_write_is_attempted() -> None:
    storage = DictBackedStorage()
    clash = ContractItem({})
    clash.e_tag = "no-such-etag"
    with pytest.raises(StorageConflictError):
        await storage.write({"a": ContractItem({}), "b": clash, "c": ContractItem({})})
    assert storage.write_calls == ["a", "b", "c"]
    assert sorted(storage.documents) == ["a", "c"]


# -- error handling helpers -------------------------------------------------------------------


class StatusError(Exception):
    def __init__(self, status_code: int) -> None:
        super().__init__(status_code)
        self.status_code = status_code


async def _fail(error: Exception) -> int:
    raise error


async def _succeed() -> int:
    return 7


async def test_ignore_error_swallows_only_what_the_filter_accepts() -> None:
    assert await ignore_error(_succeed(), is_status_code_error(409)) == 7
    assert await ignore_error(_fail(StatusError(409)), is_status_code_error(404, 409)) is None
    with pytest.raises(StatusError):
        await ignore_error(_fail(StatusError(500)), is_status_code_error(409))
    with pytest.raises(KeyError):
        await ignore_error(_fail(KeyError("x")), is_status_code_error(409))


def test_is_status_code_error_checks_the_status_code_attribute() -> None:
    accepts = is_status_code_error(404)
    assert accepts(StatusError(404))
    assert not accepts(StatusError(405))
    assert not accepts(ValueError("no status"))
