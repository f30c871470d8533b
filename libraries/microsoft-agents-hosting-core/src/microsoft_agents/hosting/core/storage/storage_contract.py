"""Contract tests that every :class:`~.storage.Storage` implementation must pass.

Subclass :class:`StorageContractTests` in a test module and provide a ``storage`` fixture
that returns (or yields) the store under test; pytest then runs every contract test
against it::

    import pytest
    from microsoft_agents.hosting.core.storage.storage_contract import StorageContractTests

    class TestMyStorageContract(StorageContractTests):
        atomic_multi_key_writes = False  # what a conflicting multi-key write does

        @pytest.fixture
        async def storage(self):
            store = MyStorage(...)
            yield store
            await store.close()

Besides reading, writing, deleting and eTags, the suite covers keys with special characters
(Teams ids with ``:``, ``/``, ``#``, ``?``...) and keys over 255 characters, deeply nested
and large documents, and writers racing on one key (``racing_writers`` tasks, default 8):
exactly one wins per stored version, and writers that retry on conflict lose no update.

The tests use keys under a random prefix, so one backend may be shared by all of them.
Needs ``pytest`` and ``pytest-asyncio`` (``asyncio_mode = "auto"``; in strict mode declare the
fixture with ``pytest_asyncio.fixture``). This module is imported only by test code: the
package itself does not depend on pytest.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import pytest

from ..errors import StorageConflictError, StorageError
from ._contract_keys_documents import KeysAndDocumentsContract
from ._contract_races import RacingWritersContract
from ._contract_support import ContractItem, OtherItem
from .storage import Storage
from .store_item import ETAG_ANY, ETAG_CREATE_ONLY, StoreItem

__all__ = ["ContractItem", "StorageContractTests"]


_DOCUMENT: dict[str, Any] = {
    "text": "héllo wörld ✓",
    "count": 3,
    "ratio": 0.5,
    "flag": True,
    "nothing": None,
    "nested": {"list": [1, "two", {"three": 3}], "empty": {}},
}


class StorageContractTests(KeysAndDocumentsContract, RacingWritersContract):
    """The storage contract as tests; see the module docstring for how to use it.

    The tests on key shapes, large documents and racing writers come from the base classes.
    """

    # -- reading and writing -----------------------------------------------------------------

    async def test_missing_keys_are_left_out_of_read(self, storage: Storage, prefix: str) -> None:
        assert await storage.read([prefix + "nope"], target_cls=ContractItem) == {}

    async def test_write_then_read_round_trips_the_document(
        self, storage: Storage, prefix: str
    ) -> None:
        await storage.write({prefix + "doc": ContractItem(copy.deepcopy(_DOCUMENT))})
        items = await storage.read([prefix + "doc"], target_cls=ContractItem)
        assert list(items) == [prefix + "doc"]
        assert isinstance(items[prefix + "doc"], ContractItem)
        assert items[prefix + "doc"].data == _DOCUMENT

    async def test_read_returns_only_the_keys_that_exist(
        self, storage: Storage, prefix: str
    ) -> None:
        await storage.write({prefix + "a": ContractItem({"v": "a"})})
        await storage.write({prefix + "b": ContractItem({"v": "b"})})
        items = await storage.read(
            [prefix + "a", prefix + "missing", prefix + "b"], target_cls=ContractItem
        )
        assert {key: item.data for key, item in items.items()} == {
            prefix + "a": {"v": "a"},
            prefix + "b": {"v": "b"},
        }

    async def test_keys_are_distinct_verbatim_strings(self, storage: Storage, prefix: str) -> None:
        keys = [
            prefix + "msteams/conversations/a-1",
            prefix + "msteams:COPILOT/conversations/a-1",
            prefix + "msteams/users/a-1",
        ]
        await storage.write({key: ContractItem({"key": key}) for key in keys})
        items = await storage.read(keys, target_cls=ContractItem)
        assert {key: item.data["key"] for key, item in items.items()} == {k: k for k in keys}

    async def test_read_builds_items_of_the_target_class(
        self, storage: Storage, prefix: str
    ) -> None:
        await storage.write({prefix + "doc": ContractItem({"v": 1})})
        items = await storage.read([prefix + "doc"], target_cls=OtherItem)
        assert type(items[prefix + "doc"]) is OtherItem
        assert items[prefix + "doc"].data == {"v": 1}

    async def test_unconditional_writes_are_last_writer_wins(
        self, storage: Storage, prefix: str
    ) -> None:
        key = prefix + "doc"
        await storage.write({key: ContractItem({"v": 1})})
        await storage.write({key: ContractItem({"v": 2})})
        star = ContractItem({"v": 3})
        star.e_tag = ETAG_ANY
        await storage.write({key: star})
        assert await self._stored(storage, key) == {"v": 3}

    async def test_delete_removes_keys_and_ignores_missing_ones(
        self, storage: Storage, prefix: str
    ) -> None:
        await storage.write({prefix + "a": ContractItem({}), prefix + "b": ContractItem({})})
        await storage.delete([prefix + "a", prefix + "never-written"])
        items = await storage.read([prefix + "a", prefix + "b"], target_cls=ContractItem)
        assert list(items) == [prefix + "b"]

    # -- argument checks ---------------------------------------------------------------------

    async def test_empty_or_missing_arguments_raise_value_error(self, storage: Storage) -> None:
        with pytest.raises(ValueError):
            await storage.read([], target_cls=ContractItem)
        with pytest.raises(ValueError):
            await storage.read(None, target_cls=ContractItem)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            await storage.write({})
        with pytest.raises(ValueError):
            await storage.write(None)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            await storage.delete([])
        with pytest.raises(ValueError):
            await storage.delete(None)  # type: ignore[arg-type]

    async def test_empty_key_raises_value_error(self, storage: Storage) -> None:
        with pytest.raises(ValueError):
            await storage.read([""], target_cls=ContractItem)
        with pytest.raises(ValueError):
            await storage.write({"": ContractItem({})})
        with pytest.raises(ValueError):
            await storage.delete([""])

    # -- isolation ---------------------------------------------------------------------------

    async def test_changing_a_written_item_does_not_change_the_store(
        self, storage: Storage, prefix: str
    ) -> None:
        item = ContractItem({"list": [1], "nested": {"v": 1}})
        await storage.write({prefix + "doc": item})
        item.data["list"].append(2)
        item.data["nested"]["v"] = 99
        item.data["added"] = True
        assert await self._stored(storage, prefix + "doc") == {"list": [1], "nested": {"v": 1}}

    async def test_changing_a_read_item_does_not_change_the_store(
        self, storage: Storage, prefix: str
    ) -> None:
        await storage.write({prefix + "doc": ContractItem({"nested": {"v": 1}})})
        first = await storage.read([prefix + "doc"], target_cls=ContractItem)
        first[prefix + "doc"].data["nested"]["v"] = 99
        assert await self._stored(storage, prefix + "doc") == {"nested": {"v": 1}}

    # -- eTags -------------------------------------------------------------------------------

    async def test_read_hands_out_the_etag_of_the_stored_version(
        self, storage: Storage, prefix: str
    ) -> None:
        item = ContractItem({"v": 1})
        await storage.write({prefix + "doc": item})
        read = (await storage.read([prefix + "doc"], target_cls=ContractItem))[prefix + "doc"]
        assert isinstance(read.e_tag, str) and read.e_tag
        assert read.e_tag not in (ETAG_ANY, ETAG_CREATE_ONLY)
        assert read.e_tag == item.e_tag

    async def test_every_write_sets_a_new_etag_on_the_item(
        self, storage: Storage, prefix: str
    ) -> None:
        item = ContractItem({"v": 1})
        assert item.e_tag is None
        await storage.write({prefix + "doc": item})
        first = item.e_tag
        assert isinstance(first, str) and first
        await storage.write({prefix + "doc": item})
        assert item.e_tag not in (None, first)

    async def test_write_with_the_current_etag_succeeds_repeatedly(
        self, storage: Storage, prefix: str
    ) -> None:
        key = prefix + "doc"
        await storage.write({key: ContractItem({"v": 1})})
        item = (await storage.read([key], target_cls=ContractItem))[key]
        item.data["v"] = 2
        await storage.write({key: item})
        item.data["v"] = 3
        await storage.write({key: item})  # the item now carries the eTag of its last write
        assert await self._stored(storage, key) == {"v": 3}

    async def test_write_with_a_stale_etag_conflicts_and_writes_nothing(
        self, storage: Storage, prefix: str
    ) -> None:
        key = prefix + "doc"
        await storage.write({key: ContractItem({"v": 1})})
        mine = (await storage.read([key], target_cls=ContractItem))[key]
        theirs = (await storage.read([key], target_cls=ContractItem))[key]
        theirs.data["v"] = "theirs"
        await storage.write({key: theirs})
        stale = mine.e_tag
        mine.data["v"] = "mine"
        with pytest.raises(StorageConflictError) as raised:
            await storage.write({key: mine})
        assert raised.value.key == key
        assert isinstance(raised.value, StorageError)
        assert mine.e_tag == stale
        assert await self._stored(storage, key) == {"v": "theirs"}

    async def test_write_with_an_etag_after_delete_conflicts(
        self, storage: Storage, prefix: str
    ) -> None:
        key = prefix + "doc"
        await storage.write({key: ContractItem({"v": 1})})
        item = (await storage.read([key], target_cls=ContractItem))[key]
        await storage.delete([key])
        with pytest.raises(StorageConflictError):
            await storage.write({key: item})
        assert await self._stored(storage, key) is None

    async def test_create_only_write_succeeds_when_the_key_is_new(
        self, storage: Storage, prefix: str
    ) -> None:
        item = ContractItem({"v": "created"})
        item.e_tag = ETAG_CREATE_ONLY
        await storage.write({prefix + "doc": item})
        assert item.e_tag not in (None, ETAG_CREATE_ONLY)
        assert await self._stored(storage, prefix + "doc") == {"v": "created"}

    async def test_create_only_write_conflicts_when_the_key_exists(
        self, storage: Storage, prefix: str
    ) -> None:
        await storage.write({prefix + "doc": ContractItem({"v": "first"})})
        item = ContractItem({"v": "second"})
        item.e_tag = StoreItem.CREATE_ONLY
        with pytest.raises(StorageConflictError) as raised:
            await storage.write({prefix + "doc": item})
        assert raised.value.key == prefix + "doc"
        assert await self._stored(storage, prefix + "doc") == {"v": "first"}

    async def test_racing_conditional_writes_let_exactly_one_win(
        self, storage: Storage, prefix: str
    ) -> None:
        key = prefix + "doc"
        await storage.write({key: ContractItem({"v": 0})})
        racers = [(await storage.read([key], target_cls=ContractItem))[key] for _ in range(4)]
        for number, racer in enumerate(racers):
            racer.data["v"] = number
        outcomes = await asyncio.gather(
            *(storage.write({key: racer}) for racer in racers), return_exceptions=True
        )
        winners = [n for n, outcome in enumerate(outcomes) if outcome is None]
        assert len(winners) == 1
        assert all(
            isinstance(outcome, StorageConflictError)
            for n, outcome in enumerate(outcomes)
            if n not in winners
        )
        assert await self._stored(storage, key) == {"v": winners[0]}

    async def test_multi_key_write_with_one_conflict(self, storage: Storage, prefix: str) -> None:
        good, bad = prefix + "good", prefix + "bad"
        await storage.write({good: ContractItem({"v": "old"}), bad: ContractItem({"v": "old"})})
        items = await storage.read([good, bad], target_cls=ContractItem)
        await storage.write({bad: ContractItem({"v": "other writer"})})
        items[good].data["v"] = "new"
        items[bad].data["v"] = "new"
        with pytest.raises(StorageConflictError) as raised:
            await storage.write({good: items[good], bad: items[bad]})
        assert raised.value.key == bad
        assert await self._stored(storage, bad) == {"v": "other writer"}
        expected_good = "old" if self.atomic_multi_key_writes else "new"
        assert await self._stored(storage, good) == {"v": expected_good}
