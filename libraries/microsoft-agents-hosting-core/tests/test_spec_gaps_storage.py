"""Storage and state contracts (spec §7.1, §7.2) not pinned down elsewhere: the abstract
bases and the concurrency of per-key storages."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.state import AgentState
from microsoft_agents.hosting.core.storage import (
    JSON,
    AsyncStorageBase,
    MemoryStorage,
    Storage,
    StoreItem,
)
from microsoft_agents.hosting.core.testing import TestAdapter


class Note(StoreItem):
    def __init__(self, text: str) -> None:
        self.text = text

    def store_item_to_json(self) -> JSON:
        return {"text": self.text}

    @staticmethod
    def from_json_to_store_item(json_data: JSON) -> Note:
        return Note(json_data["text"])


def test_the_bases_are_abstract() -> None:
    for base in (StoreItem, Storage, AsyncStorageBase):
        with pytest.raises(TypeError):
            base()  # type: ignore[abstract]
    with pytest.raises(TypeError):
        AgentState(MemoryStorage(), "key")  # type: ignore[abstract]


def test_store_item_json_round_trip_uses_the_static_constructor() -> None:
    note = Note.from_json_to_store_item(Note("hello").store_item_to_json())
    assert isinstance(note, Note) and note.text == "hello"


async def test_memory_storage_builds_items_of_the_target_class() -> None:
    storage = MemoryStorage({"k": {"text": "seeded"}})
    found = await storage.read(["k", "missing"], target_cls=Note)
    assert list(found) == ["k"]
    assert isinstance(found["k"], Note) and found["k"].text == "seeded"


class BarrierStorage(AsyncStorageBase):
    """Each per-key call waits until every key of the bulk call has started: sequential
    processing would never get past the first key."""

    def __init__(self, keys: int) -> None:
        self.expected = keys
        self.started = 0
        self.all_started = asyncio.Event()
        self.documents: dict[str, JSON] = {}

    async def _arrive(self) -> None:
        self.started += 1
        if self.started == self.expected:
            self.all_started.set()
        await asyncio.wait_for(self.all_started.wait(), 1)

    def reset(self) -> None:
        self.started = 0
        self.all_started = asyncio.Event()

    async def _read_item(
        self, key: str, *, target_cls: type[Any], **kwargs: Any
    ) -> tuple[str | None, Any]:
        await self._arrive()
        if key not in self.documents:
            return None, None
        return key, target_cls.from_json_to_store_item(self.documents[key])

    async def _write_item(self, key: str, item: StoreItem) -> None:
        await self._arrive()
        self.documents[key] = dict(item.store_item_to_json())

    async def _delete_item(self, key: str) -> None:
        await self._arrive()
        self.documents.pop(key, None)


async def test_async_storage_base_processes_the_keys_of_a_bulk_call_concurrently() -> None:
    storage = BarrierStorage(3)
    await storage.write({"a": Note("1"), "b": Note("2"), "c": Note("3")})
    storage.reset()
    found = await storage.read(["a", "b", "c"], target_cls=Note)
    assert {key: item.text for key, item in found.items()} == {"a": "1", "b": "2", "c": "3"}
    storage.reset()
    await storage.delete(["a", "b", "c"])
    assert storage.documents == {}


async def test_a_custom_agent_state_needs_only_a_storage_key() -> None:
    class TeamState(AgentState):
        def get_storage_key(
            self, turn_context: TurnContext, *, target_cls: type[StoreItem] | None = None
        ) -> str:
            return f"teams/{turn_context.activity.conversation.id}"  # type: ignore[union-attr]

    documents: dict[str, JSON] = {}
    storage = MemoryStorage(documents)

    async def logic(context: TurnContext) -> None:
        team = TeamState(storage, "TeamState")
        await team.load(context)
        assert context.turn_state["TeamState"] is not None
        visits = team.create_property("visits")
        await visits.set(context, await visits.get(context, 0) + 1)
        await team.save(context)

    adapter = TestAdapter(logic)
    await adapter.process_activity("one")
    await adapter.process_activity("two")
    assert documents == {"teams/test-conversation": {"visits": 2}}
