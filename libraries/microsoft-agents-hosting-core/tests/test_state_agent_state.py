"""AgentState, UserState, ConversationState and property accessors over a real MemoryStorage."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest

from microsoft_agents.activity import Activity, ChannelAccount, ConversationAccount
from microsoft_agents.activity._model import AgentsModel
from microsoft_agents.hosting.core._turn_context import TurnContext
from microsoft_agents.hosting.core.app.state import ConversationState
from microsoft_agents.hosting.core.errors import StorageConflictError
from microsoft_agents.hosting.core.state import AgentState, StatePropertyAccessor, UserState
from microsoft_agents.hosting.core.storage import JSON, MemoryStorage, StoreItem
from microsoft_agents.hosting.core.testing import TestAdapter

CONVERSATION_KEY = "test/conversations/conv1"


class CountingStorage(MemoryStorage):
    """MemoryStorage that counts the calls and remembers every write, to observe AgentState."""

    def __init__(self, state: dict[str, JSON] | None = None) -> None:
        super().__init__(state)
        self.reads = 0
        self.writes: list[dict[str, JSON]] = []

    async def read(self, keys: list[str], *, target_cls: Any, **kwargs: Any) -> dict[str, Any]:
        self.reads += 1
        return await super().read(keys, target_cls=target_cls, **kwargs)

    async def write(self, changes: dict[str, StoreItem]) -> None:
        self.writes.append({key: dict(item.store_item_to_json()) for key, item in changes.items()})
        await super().write(changes)


def make_context(
    *,
    channel_id: str | None = "test",
    conversation_id: str | None = "conv1",
    user_id: str | None = "user1",
) -> TurnContext:
    activity = Activity(type="message", text="hi")
    if channel_id is not None:
        activity.channel_id = channel_id  # type: ignore[assignment]
    if conversation_id is not None:
        activity.conversation = ConversationAccount(id=conversation_id)
    activity.from_property = ChannelAccount(id=user_id) if user_id is not None else None
    return TurnContext(TestAdapter(), activity)


class Profile(AgentsModel):
    name: str = ""
    visits: list[str] = []


class Counter(StoreItem):
    def __init__(self, count: int = 0) -> None:
        self.count = count

    def store_item_to_json(self) -> JSON:
        return {"count": self.count}

    @staticmethod
    def from_json_to_store_item(json_data: JSON) -> Counter:
        return Counter(json_data["count"])


@dataclass
class Point:
    x: int = 0
    y: int = 0


# -- loading and change detection ------------------------------------------------------------


async def test_missing_document_loads_as_empty_and_is_not_written_back() -> None:
    storage = CountingStorage()
    state = ConversationState(storage)
    context = make_context()
    await state.load(context)
    assert state.get(context) == {}
    await state.save(context)
    assert storage.writes == []


async def test_saved_document_is_a_flat_json_object_under_the_scope_key() -> None:
    backing: dict[str, JSON] = {}
    storage = MemoryStorage(backing)
    state = ConversationState(storage)
    context = make_context()
    await state.load(context)
    state.set_value("count", 1)
    state.set_value("profile", Profile(name="Ada", visits=["mon"]))
    state.set_value("counter", Counter(4))
    state.set_value("nested", {"points": [Profile(name="p")]})
    await state.save(context)
    assert backing == {
        CONVERSATION_KEY: {
            "count": 1,
            "profile": {"name": "Ada", "visits": ["mon"]},
            "counter": {"count": 4},
            "nested": {"points": [{"name": "p", "visits": []}]},
        }
    }


async def test_save_writes_only_when_something_changed() -> None:
    storage = CountingStorage()
    state = ConversationState(storage)
    context = make_context()
    await state.load(context)
    state.set_value("count", 1)
    await state.save(context)
    await state.save(context)
    assert len(storage.writes) == 1
    state.set_value("count", 1)  # same value: no change
    await state.save(context)
    assert len(storage.writes) == 1
    state.set_value("count", 2)
    await state.save(context)
    assert storage.writes[-1] == {CONVERSATION_KEY: {"count": 2}}
    await state.save(context, force=True)
    assert len(storage.writes) == 3


async def test_in_place_changes_of_loaded_values_are_detected() -> None:
    storage = CountingStorage({CONVERSATION_KEY: {"profile": {"name": "Ada", "visits": []}}})
    state = ConversationState(storage)
    context = make_context()
    await state.load(context)
    await state.save(context)
    assert storage.writes == []
    state.get_value("profile")["visits"].append("tue")
    await state.save(context)
    assert storage.writes == [{CONVERSATION_KEY: {"profile": {"name": "Ada", "visits": ["tue"]}}}]


async def test_typed_values_come_back_as_objects_and_their_changes_are_saved() -> None:
    storage = CountingStorage(
        {
            CONVERSATION_KEY: {
                "profile": {"name": "Ada", "visits": ["mon"]},
                "counter": {"count": 1},
                "point": {"x": 1, "y": 2},
            }
        }
    )
    state = ConversationState(storage)
    context = make_context()
    await state.load(context)
    profile = state.get_value("profile", target_cls=Profile)
    counter = state.get_value("counter", target_cls=Counter)
    point = state.get_value("point", target_cls=Point)
    assert profile == Profile(name="Ada", visits=["mon"])
    assert isinstance(counter, Counter) and counter.count == 1
    assert point == Point(1, 2)
    assert state.get_value("profile", target_cls=Profile) is profile  # kept, not rebuilt
    profile.visits.append("wed")
    counter.count += 1
    await state.save(context)
    assert storage.writes[-1][CONVERSATION_KEY]["profile"] == {
        "name": "Ada",
        "visits": ["mon", "wed"],
    }
    assert storage.writes[-1][CONVERSATION_KEY]["counter"] == {"count": 2}


async def test_default_factory_replaces_missing_and_falsy_values_and_is_stored() -> None:
    state = ConversationState(MemoryStorage())
    context = make_context()
    await state.load(context)
    state.set_value("zero", 0)
    assert state.get_value("missing") is None
    assert state.get_value("zero") == 0
    assert state.get_value("zero", lambda: 5) == 5
    assert state.get_value("missing", lambda: [1]) == [1]
    assert state.get(context) == {"zero": 5, "missing": [1]}
    assert state.get_value("missing", lambda: [2]) == [1]  # truthy value wins


async def test_load_is_cached_in_the_turn_and_shared_by_instances() -> None:
    storage = CountingStorage({CONVERSATION_KEY: {"count": 1}})
    context = make_context()
    first = ConversationState(storage)
    await first.load(context)
    assert context.turn_state[ConversationState.CONTEXT_SERVICE_KEY] is not None
    first.set_value("count", 2)
    second = ConversationState(storage)
    await second.load(context)
    assert storage.reads == 1
    assert second.get_value("count") == 2
    await second.load(context, force=True)
    assert storage.reads == 2
    assert second.get_value("count") == 1  # re-read from storage, unsaved change dropped


async def test_clear_is_persisted_on_save_and_delete_removes_the_document() -> None:
    backing: dict[str, JSON] = {CONVERSATION_KEY: {"a": 1, "b": 2}}
    storage = CountingStorage(backing)
    state = ConversationState(storage)
    context = make_context()
    await state.load(context)
    state.clear(context)
    assert state.get(context) == {}
    await state.save(context)
    assert backing == {CONVERSATION_KEY: {}}
    state.set_value("a", 3)
    await state.delete(context)
    assert backing == {}
    assert state.get(context) == {}
    writes = len(storage.writes)
    await state.save(context)
    assert len(storage.writes) == writes
    state.set_value("again", True)
    await state.save(context)  # the document no longer exists: created anew
    assert backing == {CONVERSATION_KEY: {"again": True}}


async def test_delete_value_and_has_value() -> None:
    state = ConversationState(MemoryStorage())
    context = make_context()
    await state.load(context)
    state.set_value("a", 1)
    assert state.has_value("a")
    state.delete_value("a")
    state.delete_value("never-set")
    assert not state.has_value("a")
    with pytest.raises(ValueError):
        state.set_value("", 1)


# -- property accessors ----------------------------------------------------------------------


async def test_accessor_loads_the_scope_on_demand() -> None:
    storage = CountingStorage({CONVERSATION_KEY: {"count": 7}})
    state = ConversationState(storage)
    count = state.create_property("count")
    assert isinstance(count, StatePropertyAccessor) and count.name == "count"
    context = make_context()
    assert await count.get(context) == 7
    await count.set(context, 8)
    await state.save(context)
    assert storage.writes == [{CONVERSATION_KEY: {"count": 8}}]
    await count.delete(context)
    assert await count.get(context) is None


async def test_accessor_defaults_are_copied_or_built() -> None:
    state = ConversationState(MemoryStorage())
    shared_default: list[str] = []
    context = make_context()
    items = await state.create_property("items").get(context, shared_default)
    items.append("x")
    assert shared_default == []
    assert state.get_value("items") == ["x"]
    profile = await state.create_property("profile").get(context, Profile, target_cls=Profile)
    assert profile == Profile()
    profile.name = "Grace"
    assert (await state.create_property("profile").get(context, target_cls=Profile)).name == (
        "Grace"
    )


def test_property_names_must_not_be_empty() -> None:
    with pytest.raises(ValueError):
        ConversationState(MemoryStorage()).create_property("")


# -- storage keys ----------------------------------------------------------------------------


def test_storage_keys_use_the_full_channel_id_including_the_sub_channel() -> None:
    storage = MemoryStorage()
    context = make_context(channel_id="msteams:COPILOT", conversation_id="c-1", user_id="u-1")
    assert ConversationState(storage).get_storage_key(context) == (
        "msteams:COPILOT/conversations/c-1"
    )
    assert UserState(storage).get_storage_key(context) == "msteams:COPILOT/users/u-1"
    plain = make_context(channel_id="msteams", conversation_id="c-1", user_id="u-1")
    assert ConversationState(storage).get_storage_key(plain) == "msteams/conversations/c-1"


@pytest.mark.parametrize(
    ("scope", "context_kwargs", "missing"),
    [
        (ConversationState, {"channel_id": None}, "channel_id"),
        (ConversationState, {"conversation_id": None}, "conversation.id"),
        (UserState, {"channel_id": None}, "channel_id"),
        (UserState, {"user_id": None}, "from.id"),
    ],
)
def test_missing_ids_raise_value_error_naming_the_id(
    scope: type[AgentState], context_kwargs: dict[str, Any], missing: str
) -> None:
    context = make_context(**context_kwargs)
    with pytest.raises(ValueError, match=rf"has no {missing}\.") as raised:
        scope(MemoryStorage()).get_storage_key(context)  # type: ignore[call-arg]
    assert isinstance(raised.value, TypeError)  # also what callers of the reference catch
    assert scope.__name__ in str(raised.value)


def test_user_without_an_id_is_missing_too() -> None:
    context = make_context()
    context.activity.from_property = ChannelAccount(name="nameless")
    with pytest.raises(ValueError, match=r"from\.id"):
        UserState(MemoryStorage()).get_storage_key(context)


def test_user_state_keeps_its_namespace_and_context_key() -> None:
    state = UserState(MemoryStorage(), namespace="billing")
    assert state.namespace == "billing"
    assert state.context_service_key == "Internal.UserState"
    assert ConversationState(MemoryStorage()).context_service_key == "ConversationState"


# -- optimistic concurrency ------------------------------------------------------------------


async def test_two_turns_racing_on_one_conversation_cannot_overwrite_each_other() -> None:
    backing: dict[str, JSON] = {CONVERSATION_KEY: {"count": 1, "log": []}}
    storage = MemoryStorage(backing)
    turn_a, turn_b = make_context(), make_context()
    state_a, state_b = ConversationState(storage), ConversationState(storage)
    await asyncio.gather(state_a.load(turn_a), state_b.load(turn_b))

    state_a.set_value("count", 2)
    state_a.get_value("log").append("a")
    state_b.set_value("count", 20)
    state_b.get_value("log").append("b")

    await state_a.save(turn_a)
    with pytest.raises(StorageConflictError) as raised:
        await state_b.save(turn_b)
    assert raised.value.key == CONVERSATION_KEY
    assert backing[CONVERSATION_KEY] == {"count": 2, "log": ["a"]}
    assert state_b.get_value("count") == 20  # the loser keeps its values in memory

    await state_b.load(turn_b, force=True)  # the retry: reload, apply again, save
    state_b.get_value("log").append("b")
    await state_b.save(turn_b)
    assert backing[CONVERSATION_KEY] == {"count": 2, "log": ["a", "b"]}


async def test_first_save_of_a_new_document_is_create_only() -> None:
    backing: dict[str, JSON] = {}
    storage = MemoryStorage(backing)
    turn_a, turn_b = make_context(), make_context()
    state_a, state_b = ConversationState(storage), ConversationState(storage)
    await state_a.load(turn_a)
    await state_b.load(turn_b)
    state_a.set_value("owner", "a")
    state_b.set_value("owner", "b")
    await state_b.save(turn_b)
    with pytest.raises(StorageConflictError):
        await state_a.save(turn_a)
    assert backing == {CONVERSATION_KEY: {"owner": "b"}}


async def test_saving_again_in_the_same_turn_uses_the_new_etag() -> None:
    backing: dict[str, JSON] = {}
    state = ConversationState(MemoryStorage(backing))
    context = make_context()
    await state.load(context)
    for number in range(3):
        state.set_value("n", number)
        await state.save(context)
    await state.save(context, force=True)
    assert backing == {CONVERSATION_KEY: {"n": 2}}


async def test_force_does_not_ignore_conflicts() -> None:
    backing: dict[str, JSON] = {CONVERSATION_KEY: {"v": 0}}
    storage = MemoryStorage(backing)
    stale, fresh = make_context(), make_context()
    stale_state, fresh_state = ConversationState(storage), ConversationState(storage)
    await stale_state.load(stale)
    await fresh_state.load(fresh)
    fresh_state.set_value("v", "fresh")
    await fresh_state.save(fresh)
    with pytest.raises(StorageConflictError):
        await stale_state.save(stale, force=True)
    assert backing[CONVERSATION_KEY] == {"v": "fresh"}


async def test_a_scope_used_without_loading_is_saved_unconditionally() -> None:
    backing: dict[str, JSON] = {CONVERSATION_KEY: {"old": True}}
    state = ConversationState(MemoryStorage(backing))
    context = make_context()
    state.set_value("fresh", True)  # never read, so nothing to protect
    await state.save(context)
    assert backing == {CONVERSATION_KEY: {"fresh": True}}
