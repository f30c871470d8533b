"""``State`` and ``@state``: declarative state over a real MemoryStorage and real turns."""

from __future__ import annotations

import dataclasses
import importlib
import subprocess
import sys
import textwrap
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import microsoft_agents.hosting.core as core
from microsoft_agents.hosting.core import MemoryStorage, Storage, StoreItem, TurnContext
from microsoft_agents.hosting.core.app import State as AppState
from microsoft_agents.hosting.core.app.state import State, StatePropertyAccessor, state
from microsoft_agents.hosting.core.state import AgentState
from microsoft_agents.hosting.core.storage import JSON
from microsoft_agents.hosting.core.testing import TestAdapter


class Document(StoreItem):
    """What a ``load`` reads a saved state back as: the stored JSON object."""

    def __init__(self, values: JSON) -> None:
        self.values = values

    def store_item_to_json(self) -> JSON:
        return self.values

    @staticmethod
    def from_json_to_store_item(json_data: JSON) -> Document:
        return Document(dict(json_data))


async def read_document(storage: Storage | None, key: str) -> JSON:
    if storage is None:
        return {}
    found = await storage.read([key], target_cls=Document)
    return found[key].values if key in found else {}


class Profile(State):
    name = "anonymous"
    visits = 0
    history: list[str] = []
    settings: dict[str, Any] = {"theme": "light"}

    @classmethod
    async def load(cls, context: TurnContext, storage: Storage | None = None) -> Profile:
        profile = cls()
        user = context.activity.from_property
        assert user is not None
        profile.__key__ = f"profiles/{user.id}"
        for name, value in (await read_document(storage, profile.__key__)).items():
            profile[name] = value
        return profile


class Account(State):
    plan = "free"

    @classmethod
    async def load(cls, context: TurnContext, storage: Storage | None = None) -> Account:
        account = cls(**await read_document(storage, "accounts/a1"))
        if isinstance(account.get("profile"), dict):
            account.profile = Profile(**account.profile)
        account.__key__ = "accounts/a1"
        return account


async def in_turn(work: Callable[[TurnContext], Awaitable[None]]) -> None:
    """Run ``work`` with the context of one real turn of the test adapter."""
    done: list[bool] = []

    async def agent(context: TurnContext) -> None:
        await work(context)
        done.append(True)

    await TestAdapter(agent).process_activity("hi")
    assert done == [True]


async def test_a_state_survives_turns_through_memory_storage() -> None:
    storage = MemoryStorage()

    async def agent(context: TurnContext) -> None:
        profile = await Profile.load(context, storage)
        profile.visits += 1
        profile.history.append(context.activity.text or "")
        await profile.save(context, storage)
        await context.send_activity(f"{profile.visits}: {', '.join(profile.history)}")

    adapter = TestAdapter(agent)
    await adapter.send("a").assert_reply("1: a").send("b").assert_reply("2: a, b")

    user = adapter.conversation_reference.user
    assert user is not None
    stored = await read_document(storage, f"profiles/{user.id}")
    assert stored == {
        "name": "anonymous",
        "visits": 2,
        "history": ["a", "b"],
        "settings": {"theme": "light"},
    }


async def test_nested_states_and_values_round_trip() -> None:
    storage = MemoryStorage()

    async def first(context: TurnContext) -> None:
        account = await Account.load(context, storage)
        account.plan = "pro"
        account.profile = Profile(name="Ada", visits=3)
        account.profile.settings["theme"] = "dark"
        await account.save(context, storage)

    async def second(context: TurnContext) -> None:
        account = await Account.load(context, storage)
        assert account.plan == "pro"
        assert isinstance(account.profile, Profile)
        assert account.profile.name == "Ada" and account.profile.visits == 3
        assert account.profile.settings == {"theme": "dark"}

    await in_turn(first)
    await in_turn(second)
    # the nested state is part of the parent's document; the key itself is not an item
    assert "__key__" not in await read_document(storage, "accounts/a1")


async def test_removing_a_nested_state_deletes_its_storage_key_on_save() -> None:
    storage = MemoryStorage()

    async def work(context: TurnContext) -> None:
        account = await Account.load(context, storage)
        profile = await Profile.load(context, storage)
        profile.name = "Grace"
        await profile.save(context, storage)
        account.profile = profile
        await account.save(context, storage)
        assert await read_document(storage, profile.__key__) != {}

        del account.profile
        assert account.__deleted__ == [profile.__key__]
        await account.save(context, storage)
        assert account.__deleted__ == []
        assert await read_document(storage, profile.__key__) == {}
        assert await read_document(storage, "accounts/a1") == {"plan": "free"}

    await in_turn(work)


async def test_putting_a_removed_nested_state_back_keeps_its_key() -> None:
    storage = MemoryStorage()

    async def work(context: TurnContext) -> None:
        account = await Account.load(context, storage)
        profile = await Profile.load(context, storage)
        await profile.save(context, storage)
        account["profile"] = profile
        del account["profile"]
        account["again"] = profile
        assert account.__deleted__ == []
        await account.save(context, storage)
        assert await read_document(storage, profile.__key__) != {}

    await in_turn(work)


def test_class_defaults_are_deep_copies_per_instance() -> None:
    first, second = Profile(), Profile(visits=7, extra="x")
    first.history.append("one")
    first.settings["theme"] = "dark"

    assert second.history == [] and second.settings == {"theme": "light"}
    assert Profile.history == [] and Profile.settings == {"theme": "light"}
    assert dict(second) == {
        "name": "anonymous",
        "visits": 7,
        "history": [],
        "settings": {"theme": "light"},
        "extra": "x",
    }
    # methods, private and dunder attributes are not items
    assert "load" not in first and "save" not in first and "__key__" not in first
    assert first.__key__ == "" and first.__deleted__ == []


def test_attributes_and_items_are_the_same_values() -> None:
    profile = Profile()
    profile.name = "Ada"
    profile["visits"] = 4
    assert profile["name"] == "Ada" and profile.visits == 4

    profile._cache = {"private": True}
    profile.callback = len
    assert "_cache" not in profile and "callback" not in profile
    assert profile._cache == {"private": True} and profile.callback is len

    profile["save"] = "an item"
    assert profile.save == "an item"  # items win over attributes when reading

    del profile.name
    assert "name" not in profile and profile.name == "anonymous"  # the class default shows
    profile.nickname = "Ada"
    del profile.nickname
    with pytest.raises(AttributeError, match="'Profile' object has no attribute 'nickname'"):
        _ = profile.nickname
    assert getattr(profile, "missing", "fallback") == "fallback"
    with pytest.raises(KeyError):
        del profile.missing
    del profile._cache
    assert not hasattr(profile, "_cache")
    assert str(Profile(history=["x"])) == str(
        {"history": ["x"], "name": "anonymous", "settings": {"theme": "light"}, "visits": 0}
    )


@dataclasses.dataclass
class Address:
    city: str
    zip: str


async def test_create_property_reads_writes_and_deletes_items() -> None:
    profile = Profile()

    async def work(context: TurnContext) -> None:
        visits = profile.create_property("visits")
        assert isinstance(visits, StatePropertyAccessor) and visits.name == "visits"
        assert await visits.get(context) == 0
        await visits.set(context, 5)
        assert profile.visits == 5

        nickname = profile.create_property("nickname")
        assert await nickname.get(context, "Ada") == "Ada"
        assert await nickname.get(context, lambda: "Grace") == "Grace"
        assert "nickname" not in profile  # defaults are returned, not stored

        await visits.delete(context)
        assert "visits" not in profile
        await visits.delete(context)  # already gone: nothing happens

        address = profile.create_property("address")
        await address.set(context, {"city": "Oslo", "zip": "0150"})
        assert await address.get(context, target_cls=Address) == Address("Oslo", "0150")

    await in_turn(work)
    with pytest.raises(ValueError, match="non-empty item name"):
        profile.create_property("")


class Settings(State):
    theme = "light"

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # does not call super().__init__
        self.initialised_with = list(args)

    @classmethod
    async def load(cls, context: TurnContext, storage: Storage | None = None) -> Settings:
        return cls()


def _declared(decorate: Callable[[type[Settings]], type[Settings]]) -> type[Settings]:
    return decorate(type("Declared", (Settings,), {"size": [1]}))


@pytest.mark.parametrize(
    "decorate", [state, state()], ids=["without-parentheses", "with-parentheses"]
)
def test_state_decorator_runs_state_init_before_the_class_init(
    decorate: Callable[[type[Settings]], type[Settings]],
) -> None:
    declared = _declared(decorate)
    first, second = declared("a", theme="dark"), declared()
    assert dict(first) == {"theme": "dark", "size": [1], "initialised_with": ["a"]}
    first.size.append(2)
    assert second.size == [1]
    assert first.__key__ == "" and first.__deleted__ == []
    assert decorate(declared) is declared  # decorating twice changes nothing
    assert dict(declared()) == {"theme": "light", "size": [1], "initialised_with": []}


def test_without_the_decorator_a_class_init_skipping_super_has_no_defaults() -> None:
    plain = type("Plain", (Settings,), {"size": [1]})()
    assert dict(plain) == {"initialised_with": []}


def test_state_decorator_rejects_classes_that_are_not_states() -> None:
    with pytest.raises(TypeError, match="subclasses of State, not Plain; derive it from State"):
        state(type("Plain", (), {}))


async def test_save_without_storage_or_key_writes_nothing() -> None:
    memory: dict[str, JSON] = {}
    storage = MemoryStorage(memory)

    async def work(context: TurnContext) -> None:
        profile = Profile(name="Ada")
        await profile.save(context, storage)  # no key yet
        profile.__key__ = "profiles/ada"
        profile.child = Profile()
        profile.child.__key__ = "profiles/child"
        del profile.child
        await profile.save(context)  # no storage
        assert profile.__deleted__ == ["profiles/child"]  # kept for a real save
        await profile.save(context, storage)
        assert profile.__deleted__ == []

    await in_turn(work)
    assert list(memory) == ["profiles/ada"]


async def test_a_key_item_overrides_the_key_and_is_not_saved() -> None:
    storage = MemoryStorage()

    async def work(context: TurnContext) -> None:
        profile = Profile()
        profile["__key__"] = "profiles/by-item"
        await profile.save(context, storage)

    await in_turn(work)
    stored = await read_document(storage, "profiles/by-item")
    assert stored["name"] == "anonymous" and "__key__" not in stored


def test_every_import_path_names_the_same_objects() -> None:
    assert core.State is AppState is State
    assert core.state is state
    assert importlib.import_module("microsoft_agents.hosting.core.app").state is state
    package = importlib.import_module("microsoft_agents.hosting.core.state")
    assert package.AgentState is AgentState and package.__name__.endswith("core.state")
    assert "State" in core.__all__ and "state" in core.__all__


IMPORT_ORDERS = {
    "root-first": "import microsoft_agents.hosting.core",
    "state-module-first": "import microsoft_agents.hosting.core.state._agent_state",
    "state-package-by-path": "from microsoft_agents.hosting.core.state import AgentState",
    "import-module": "importlib.import_module('microsoft_agents.hosting.core.state')",
    "app-state-first": "from microsoft_agents.hosting.core.app.state import State, state",
    "reload-root": "importlib.reload(importlib.import_module('microsoft_agents.hosting.core'))",
}

_CHECK = """
import importlib, sys
import microsoft_agents.hosting.core.state
importlib.import_module("microsoft_agents.hosting.core.state._user_state")
import microsoft_agents.hosting.core as core
from microsoft_agents.hosting.core import state
from microsoft_agents.hosting.core.state import AgentState, UserState
package = sys.modules["microsoft_agents.hosting.core.state"]
assert callable(state) and state.__module__.endswith("._declarative"), state
assert core.state is state, core.state
assert package.AgentState is AgentState and package.UserState is UserState
print("ok")
"""


@pytest.mark.parametrize("first_import", list(IMPORT_ORDERS.values()), ids=list(IMPORT_ORDERS))
def test_no_import_order_turns_the_root_state_back_into_the_package(first_import: str) -> None:
    script = "import importlib\n" + first_import + "\n" + textwrap.dedent(_CHECK)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "ok"
