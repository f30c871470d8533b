"""TurnState, TempState and the scopes of a turn, over real storages and a real TurnContext."""

from __future__ import annotations

from typing import Any

import pytest

from microsoft_agents.activity import Activity, ChannelAccount, ConversationAccount
from microsoft_agents.hosting.core._turn_context import TurnContext
from microsoft_agents.hosting.core.app._input_file import InputFile
from microsoft_agents.hosting.core.app.state import ConversationState, TempState, TurnState
from microsoft_agents.hosting.core.app.state.conversation_state import (
    ConversationState as ConversationStateByPath,
)
from microsoft_agents.hosting.core.app.state.temp_state import TempState as TempStateByPath
from microsoft_agents.hosting.core.app.state.turn_state import TurnState as TurnStateByPath
from microsoft_agents.hosting.core.errors import StorageConflictError
from microsoft_agents.hosting.core.state import UserState
from microsoft_agents.hosting.core.storage import (
    JSON,
    AsyncStorageBase,
    MemoryStorage,
    Storage,
    StoreItem,
)
from microsoft_agents.hosting.core.testing import TestAdapter

CONVERSATION_KEY = "test/conversations/conv1"
USER_KEY = "test/users/user1"


class RecordingStorage(MemoryStorage):
    """MemoryStorage that records the keys of every write call."""

    def __init__(self, state: dict[str, JSON] | None = None) -> None:
        super().__init__(state)
        self.write_calls: list[list[str]] = []

    async def write(self, changes: dict[str, StoreItem]) -> None:
        self.write_calls.append(sorted(changes))
        await super().write(changes)


class PerKeyStorage(AsyncStorageBase):
    """A per-key store (each key written on its own) layered over a MemoryStorage."""

    def __init__(self, backing: dict[str, JSON]) -> None:
        self.memory = MemoryStorage(backing)
        self.write_calls = 0

    async def _read_item(
        self, key: str, *, target_cls: Any, **kwargs: Any
    ) -> tuple[str | None, Any]:
        found = await self.memory.read([key], target_cls=target_cls)
        return (key, found[key]) if key in found else (None, None)

    async def _write_item(self, key: str, item: StoreItem) -> None:
        self.write_calls += 1
        await self.memory.write({key: item})

    async def _delete_item(self, key: str) -> None:
        await self.memory.delete([key])


def make_context(conversation_id: str = "conv1", user_id: str = "user1") -> TurnContext:
    activity = Activity(
        type="message",
        text="hi",
        channel_id="test",
        conversation=ConversationAccount(id=conversation_id),
        from_property=ChannelAccount(id=user_id),
    )
    return TurnContext(TestAdapter(), activity)


async def loaded(storage: Storage, context: TurnContext | None = None) -> TurnState:
    return await TurnState.with_storage(storage).load(context or make_context(), storage)


# -- scopes ----------------------------------------------------------------------------------


def test_with_storage_creates_the_three_standard_scopes() -> None:
    storage = MemoryStorage()
    state = TurnState.with_storage(storage)
    assert type(state.conversation) is ConversationState
    assert type(state.user) is UserState
    assert type(state.temp) is TempState
    assert state.conversation.storage is storage and state.user.storage is storage
    assert state.get_scope_by_name("ConversationState") is state.conversation
    assert state.get_scope_by_name("UserState") is state.user
    assert state.get_scope_by_name("temp") is state.temp
    assert state.get_scope(UserState) is state.user


def test_unknown_scopes_raise_value_error() -> None:
    state = TurnState.with_storage(MemoryStorage())
    with pytest.raises(ValueError, match="conversation"):
        state.get_scope_by_name("conversation")
    with pytest.raises(ValueError):
        TurnState().get_scope(ConversationState)
    with pytest.raises(ValueError):
        state.get_value("nope.count")


def test_extra_scopes_are_named_after_their_class() -> None:
    class AuditState(ConversationState):
        pass

    audit = AuditState(MemoryStorage())
    state = TurnState.with_storage(MemoryStorage(), audit)
    assert state.get_scope_by_name("AuditState") is audit
    assert state.get_scope(AuditState) is audit
    assert type(state.conversation) is ConversationState  # the exact class is preferred
    assert TurnState().add(audit).get_scope(ConversationState) is audit
    with pytest.raises(ValueError):
        TurnState().add(None)  # type: ignore[arg-type]


def test_published_module_paths_name_the_same_classes() -> None:
    assert ConversationStateByPath is ConversationState
    assert TempStateByPath is TempState
    assert TurnStateByPath is TurnState


# -- values by path --------------------------------------------------------------------------


async def test_dotted_paths_address_scopes_and_bare_names_address_temp() -> None:
    state = await loaded(MemoryStorage())
    state.set_value("ConversationState.count", 1)
    state.set_value("UserState.name", "Ada")
    state.set_value("scratch", "x")
    state.set_value("UserState.a.b", "dots after the scope belong to the name")
    assert state.conversation.get_value("count") == 1
    assert state.user.get_value("name") == "Ada"
    assert state.user.get_value("a.b") == "dots after the scope belong to the name"
    assert state.temp.get_value("scratch") == "x"
    assert state.get_value("temp.scratch") == "x"
    assert state.has_value("ConversationState.count")
    assert not state.has_value("ConversationState.other")
    assert state.get_value("ConversationState.other", lambda: 9) == 9
    state.delete_value("ConversationState.count")
    assert not state.has_value("ConversationState.count")


@pytest.mark.parametrize("path", ["", ".count", "ConversationState."])
async def test_malformed_paths_raise_value_error(path: str) -> None:
    state = await loaded(MemoryStorage())
    with pytest.raises(ValueError):
        state.get_value(path)


# -- load, save, clear -----------------------------------------------------------------------


async def test_load_reads_scopes_and_starts_a_fresh_temp_scope() -> None:
    storage = MemoryStorage({CONVERSATION_KEY: {"count": 3}, USER_KEY: {"name": "Ada"}})
    state = TurnState.with_storage(storage)
    state.temp.set_value("leftover", True)
    old_conversation = state.conversation
    assert await state.load(make_context(), storage) is state
    assert state.conversation is not old_conversation
    assert state.get_value("ConversationState.count") == 3
    assert state.get_value("UserState.name") == "Ada"
    assert not state.has_value("leftover")


async def test_load_on_an_empty_turn_state_adds_the_standard_scopes() -> None:
    storage = MemoryStorage({CONVERSATION_KEY: {"count": 3}})
    state = await TurnState().load(make_context(), storage)
    assert state.conversation.get_value("count") == 3
    assert isinstance(state.user, UserState) and isinstance(state.temp, TempState)


async def test_load_keeps_custom_scope_subclasses_and_loads_them() -> None:
    class TeamConversationState(ConversationState):
        pass

    own_storage = MemoryStorage({CONVERSATION_KEY: {"team": "blue"}})
    custom = TeamConversationState(own_storage)
    state = TurnState(custom, UserState(MemoryStorage()), TempState())
    await state.load(make_context(), MemoryStorage())
    assert state.conversation is custom
    assert custom.get_value("team") == "blue"


async def test_load_renews_standard_scopes_next_to_custom_ones() -> None:
    class AuditState(ConversationState):
        pass

    audit = AuditState(MemoryStorage())
    state = TurnState.with_storage(MemoryStorage(), audit)
    turn_storage = MemoryStorage({CONVERSATION_KEY: {"from": "turn storage"}})
    await state.load(make_context(), turn_storage)
    assert state.conversation.storage is turn_storage
    assert state.conversation.get_value("from") == "turn storage"
    assert state.get_scope_by_name("AuditState") is audit


async def test_save_writes_changed_scopes_of_one_storage_in_one_call() -> None:
    backing: dict[str, JSON] = {}
    storage = RecordingStorage(backing)
    context = make_context()
    state = await loaded(storage, context)
    await state.save(context)
    assert storage.write_calls == []
    state.set_value("ConversationState.count", 1)
    state.set_value("UserState.name", "Ada")
    state.set_value("temp.never", "stored")
    await state.save(context)
    assert storage.write_calls == [[CONVERSATION_KEY, USER_KEY]]
    assert backing == {CONVERSATION_KEY: {"count": 1}, USER_KEY: {"name": "Ada"}}
    state.set_value("UserState.name", "Grace")
    await state.save(context)
    assert storage.write_calls[-1] == [USER_KEY]
    await state.save(context, force=True)
    assert storage.write_calls[-1] == [CONVERSATION_KEY, USER_KEY]


async def test_racing_turns_with_memory_storage_write_nothing_for_the_loser() -> None:
    backing: dict[str, JSON] = {}
    storage = MemoryStorage(backing)
    first_context, second_context = make_context(), make_context()
    first = await loaded(storage, first_context)
    second = await loaded(storage, second_context)
    first.set_value("ConversationState.count", 1)
    await first.save(first_context)
    second.set_value("ConversationState.count", 2)
    second.set_value("UserState.name", "from the losing turn")
    with pytest.raises(StorageConflictError) as raised:
        await second.save(second_context)
    assert raised.value.key == CONVERSATION_KEY
    assert backing == {CONVERSATION_KEY: {"count": 1}}  # all-or-nothing: user not written
    assert second.get_value("UserState.name") == "from the losing turn"


async def test_racing_turns_with_a_per_key_store_write_the_scopes_that_did_not_conflict() -> None:
    backing: dict[str, JSON] = {}
    storage = PerKeyStorage(backing)
    first_context, second_context = make_context(), make_context()
    first = await loaded(storage, first_context)
    second = await loaded(storage, second_context)
    first.set_value("ConversationState.count", 1)
    await first.save(first_context)
    second.set_value("ConversationState.count", 2)
    second.set_value("UserState.name", "Ada")
    with pytest.raises(StorageConflictError):
        await second.save(second_context)
    assert backing == {CONVERSATION_KEY: {"count": 1}, USER_KEY: {"name": "Ada"}}

    # the user scope was remembered as saved: retrying writes only what is still pending
    await second.conversation.load(second_context, force=True)
    second.set_value("ConversationState.count", 2)
    calls = storage.write_calls
    await second.save(second_context)
    assert storage.write_calls == calls + 1
    assert backing == {CONVERSATION_KEY: {"count": 2}, USER_KEY: {"name": "Ada"}}


async def test_clear_one_scope_or_all() -> None:
    context = make_context()
    state = await loaded(MemoryStorage(), context)
    state.set_value("ConversationState.a", 1)
    state.set_value("UserState.b", 2)
    state.set_value("c", 3)
    state.clear(context, "temp")
    assert not state.has_value("c") and state.has_value("UserState.b")
    state.clear(context)
    assert not state.has_value("ConversationState.a") and not state.has_value("UserState.b")
    with pytest.raises(ValueError):
        state.clear(context, "nope")


async def test_state_survives_turns_run_by_the_test_adapter() -> None:
    storage = MemoryStorage()
    seen: list[int] = []

    async def logic(context: TurnContext) -> None:
        state = await TurnState.with_storage(storage).load(context, storage)
        count = state.get_value("ConversationState.count", lambda: 0) + 1
        state.set_value("ConversationState.count", count)
        seen.append(count)
        await state.save(context)

    adapter = TestAdapter(logic)
    for text in ("one", "two", "three"):
        await adapter.process_activity(text)
    assert seen == [1, 2, 3]
    other = TestAdapter(logic, conversation_id="another")
    await other.process_activity("hi")
    assert seen[-1] == 1


# -- TempState -------------------------------------------------------------------------------


async def test_temp_state_is_never_read_or_written() -> None:
    storage = RecordingStorage()
    temp = TempState()
    context = make_context()
    temp.set_value("x", 1)
    await temp.load(context)
    await temp.save(context, force=True)
    assert storage.write_calls == []
    assert temp.get_value("x") == 1
    assert temp.name == "temp"
    with pytest.raises(Exception, match="only for the turn"):
        await temp.storage.write({"k": temp})  # type: ignore[dict-item]


def test_temp_state_input_files_and_input() -> None:
    temp = TempState()
    assert temp.input is None
    temp.input = "hello"
    files = temp.input_files
    assert files == []
    files.append(InputFile(content=b"x", content_type="text/plain"))
    assert temp.input_files is files
    temp.input_files = []
    assert temp.input_files == []


def test_temp_state_typed_values_are_keyed_by_qualified_class_name() -> None:
    class Marker:
        pass

    temp = TempState()
    marker = Marker()
    assert temp.get_typed_value(Marker) is None
    temp.set_typed_value(marker)
    assert temp.get_typed_value(Marker) is marker
    assert temp.has_value(f"{Marker.__module__}.{Marker.__qualname__}")
