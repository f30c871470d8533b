"""``TurnState``: the state scopes of one turn, addressed as ``"scope.property"``."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from typing_extensions import Self

from ...errors import error_resources
from ...state import AgentState, UserState
from ...state._agent_state import _PendingSave, _StateDocument
from ...storage import Storage
from ...storage.storage import _run_all
from ._scopes import ConversationState, TempState

if TYPE_CHECKING:
    from ..._turn_context import TurnContext

__all__ = ["TurnState"]

_ScopeT = TypeVar("_ScopeT", bound=AgentState)
_STANDARD_LOAD = AgentState.load
_TEMP_LOAD = TempState.load


def _scope_name(agent_state: AgentState) -> str:
    if isinstance(agent_state, TempState):
        return TempState.SCOPE_NAME
    return type(agent_state).__name__


class TurnState:
    """The state scopes of a turn: conversation, user, temp and any added ones.

    Scopes are named after their class (``ConversationState``, ``UserState``) except the
    temp scope, named ``temp``. Values are addressed as ``"scope.property"``; a path without
    a dot addresses ``temp``.

    Saving and concurrency: :meth:`save` gathers every changed scope and writes the scopes
    that share a storage in **one** ``Storage.write`` call, each with the eTag it was loaded
    with. If another turn changed one of the documents meanwhile, ``StorageConflictError``
    (naming that document's key) is raised after the writes have finished:

    * with :class:`~microsoft_agents.hosting.core.storage.MemoryStorage` the write is
      all-or-nothing, so no scope is written;
    * with per-key stores (Azure Blob, Cosmos DB) the scopes without a conflict are written
      and remembered as saved; only the conflicting one is not.

    Either way the in-memory values are kept, nothing is half-written within a document, and
    a scope is only marked saved when its document really was written. To retry, reload the
    conflicting scope (``await scope.load(context, force=True)``), apply the change again and
    save.
    """

    def __init__(self, *agent_states: AgentState) -> None:
        self._scopes: dict[str, AgentState] = {}
        for agent_state in agent_states:
            self.add(agent_state)

    @classmethod
    def with_storage(cls, storage: Storage, *agent_states: AgentState) -> Self:
        """A turn state with conversation, user and temp scopes on ``storage``, plus
        ``agent_states``."""
        turn_state = cls()
        # What add() gives for the three standard scopes, keyed by their (fixed) names.
        turn_state._scopes = {
            "ConversationState": ConversationState(storage),
            "UserState": UserState(storage),
            TempState.SCOPE_NAME: TempState(),
        }
        for agent_state in agent_states:
            turn_state.add(agent_state)
        return turn_state

    # -- scopes ------------------------------------------------------------------------------

    @property
    def conversation(self) -> ConversationState:
        """The conversation scope."""
        return self.get_scope(ConversationState)

    @property
    def user(self) -> UserState:
        """The user scope."""
        return self.get_scope(UserState)

    @property
    def temp(self) -> TempState:
        """The turn-only scope."""
        return self.get_scope(TempState)

    def add(self, agent_state: AgentState) -> Self:
        """Add (or replace) the scope named after ``agent_state``'s class."""
        if agent_state is None:
            raise ValueError("TurnState.add needs an AgentState")
        self._scopes[_scope_name(agent_state)] = agent_state
        return self

    def get_scope(self, scope_type: type[_ScopeT]) -> _ScopeT:
        """The scope that is a ``scope_type``; ``ValueError`` if there is none."""
        for agent_state in self._scopes.values():
            if type(agent_state) is scope_type:
                return agent_state
        for agent_state in self._scopes.values():
            if isinstance(agent_state, scope_type):
                return agent_state
        raise ValueError(
            error_resources.UnknownStateScope.format(scope_type.__name__, self._known())
        )

    def get_scope_by_name(self, scope: str) -> AgentState:
        """The scope named ``scope``; ``ValueError`` if there is none."""
        try:
            return self._scopes[scope]
        except KeyError:
            raise ValueError(
                error_resources.UnknownStateScope.format(scope, self._known())
            ) from None

    def _known(self) -> str:
        return ", ".join(self._scopes) or "none"

    # -- values by path ----------------------------------------------------------------------

    def has_value(self, path: str) -> bool:
        """Whether ``"scope.property"`` (or a temp ``"property"``) is set."""
        scope, name = self._split(path)
        return self.get_scope_by_name(scope).has_value(name)

    def get_value(
        self,
        name: str,
        default_value_factory: Callable[[], Any] | None = None,
        *,
        target_cls: type[Any] | None = None,
    ) -> Any:
        """The value at ``"scope.property"``; see :meth:`AgentState.get_value`."""
        scope, property_name = self._split(name)
        return self.get_scope_by_name(scope).get_value(
            property_name, default_value_factory, target_cls=target_cls
        )

    def set_value(self, path: str, value: Any) -> None:
        """Set the value at ``"scope.property"``."""
        scope, name = self._split(path)
        self.get_scope_by_name(scope).set_value(name, value)

    def delete_value(self, path: str) -> None:
        """Remove the value at ``"scope.property"``."""
        scope, name = self._split(path)
        self.get_scope_by_name(scope).delete_value(name)

    @staticmethod
    def _split(path: str) -> tuple[str, str]:
        if not isinstance(path, str) or not path:
            raise ValueError("a state path must be a non-empty 'scope.property' string")
        scope, dot, name = path.partition(".")
        if not dot:
            return TempState.SCOPE_NAME, path
        if not scope or not name:
            raise ValueError(f"invalid state path {path!r}: expected 'scope.property'")
        return scope, name

    # -- lifecycle ---------------------------------------------------------------------------

    async def load(self, context: TurnContext, storage: Storage | None = None) -> Self:
        """Load every scope for the turn, concurrently.

        With ``storage``, the conversation and user scopes are created anew on it and the
        temp scope starts empty (scopes of custom subclasses are kept as they are).
        """
        if storage is not None:
            self._renew(ConversationState, storage)
            self._renew(UserState, storage)
        self._renew(TempState, None)
        await _load_scopes(context, list(self._scopes.values()))
        return self

    def _load_fresh(self, context: TurnContext) -> Awaitable[None]:
        """:meth:`load` for a turn state whose scopes were all just created (nothing to renew)."""
        scopes = self._scopes
        conversation = scopes.get("ConversationState")
        user = scopes.get("UserState")
        if (
            len(scopes) == 3
            and type(conversation) is ConversationState
            and type(user) is UserState
            and type(scopes.get(TempState.SCOPE_NAME)) is TempState
        ):
            return _load_standard(context, conversation, user, scopes)
        return _load_scopes(context, list(scopes.values()))

    def _renew(self, scope_type: type[AgentState], storage: Storage | None) -> None:
        """Replace the standard scope of ``scope_type``, or add it if the turn state has no
        scope of that type at all (a custom subclass stands in for it)."""
        name = TempState.SCOPE_NAME if scope_type is TempState else scope_type.__name__
        if type(self._scopes.get(name)) is scope_type or not any(
            isinstance(scope, scope_type) for scope in self._scopes.values()
        ):
            self.add(TempState() if storage is None else scope_type(storage))  # type: ignore[call-arg]

    async def save(self, context: TurnContext, force: bool = False) -> None:
        """Save every changed scope (every scope if ``force``); see the class docstring for
        what happens on a conflict."""
        writing = self._write_batches(self._pending_batches(context, force))
        if writing is not None:
            await writing

    def _save_when_changed(self, context: TurnContext) -> Awaitable[object] | None:
        """What :meth:`save` awaits, or ``None`` when nothing changed (the usual turn end):
        decided without a coroutine. Subclasses that override :meth:`save` get it called."""
        if type(self).save is not TurnState.save:
            return self.save(context)
        return self._write_batches(self._pending_batches(context, False))

    def _pending_batches(
        self, context: TurnContext, force: bool
    ) -> dict[int, tuple[Storage, list[_PendingSave]]]:
        batches: dict[int, tuple[Storage, list[_PendingSave]]] = {}
        for scope in self._scopes.values():
            pending = scope._prepare_save(context, force)
            if pending is not None:
                batch = batches.setdefault(id(scope.storage), (scope.storage, []))
                batch[1].append(pending)
        return batches

    @staticmethod
    def _write_batches(
        batches: dict[int, tuple[Storage, list[_PendingSave]]],
    ) -> Awaitable[object] | None:
        if not batches:
            return None
        if len(batches) == 1:
            for storage, pendings in batches.values():
                return _write_batch(storage, pendings)
        return _run_all(_write_batch(storage, pendings) for storage, pendings in batches.values())

    def clear(self, context: TurnContext, scope: str | None = None) -> None:
        """Empty one scope (by name) or all of them; storage follows on the next save."""
        if scope is not None:
            self.get_scope_by_name(scope).clear(context)
            return
        for agent_state in self._scopes.values():
            agent_state.clear(context)


async def _load_standard(
    context: TurnContext,
    conversation: ConversationState,
    user: UserState,
    scopes: dict[str, AgentState],
) -> None:
    """:func:`_load_scopes` for the standard conversation, user and temp scopes: both keys in
    one read. Anything out of the ordinary (already loaded in this turn, a key that cannot
    be made, two storages or one key) takes :func:`_load_scopes`, for its exact behaviour."""
    storage = conversation.storage
    turn_values = context.turn_state
    try:
        keys = [conversation.get_storage_key(context), user.get_storage_key(context)]
    except Exception:
        keys = []
    if (
        len(keys) != 2
        or keys[0] == keys[1]
        or user.storage is not storage
        or conversation.context_service_key in turn_values
        or user.context_service_key in turn_values
    ):
        await _load_scopes(context, list(scopes.values()))
        return
    items = await storage.read(keys, target_cls=_StateDocument)
    conversation._set_loaded(context, items.get(keys[0]))
    user._set_loaded(context, items.get(keys[1]))


async def _load_scopes(context: TurnContext, scopes: list[AgentState]) -> None:
    """Load ``scopes`` for the turn with one ``Storage.read`` per storage.

    Scopes that keep ``AgentState.load`` are read together: the keys of the scopes sharing a
    storage go into a single read (one round trip for a remote store). Scopes with their own
    ``load`` are loaded by it. Everything runs concurrently and runs to the end; the first
    failure, in scope order, is raised afterwards.
    """
    failures: dict[int, BaseException] = {}
    groups: dict[int, tuple[Storage, dict[str, tuple[int, AgentState]]]] = {}
    custom: list[tuple[int, Awaitable[None]]] = []
    for index, scope in enumerate(scopes):
        load = type(scope).load
        if load is _TEMP_LOAD:
            continue  # nothing to load
        if load is not _STANDARD_LOAD:
            custom.append((index, scope.load(context)))
            continue
        if scope._adopt_loaded(context):
            continue
        try:
            key = scope.get_storage_key(context)
        except Exception as error:
            failures[index] = error
            continue
        storage = scope.storage
        keys = groups.setdefault(id(storage), (storage, {}))[1]
        if key in keys:  # another scope on the same document reads its own copy
            custom.append((index, scope.load(context)))
        else:
            keys[key] = (index, scope)

    if not custom and not failures and len(groups) == 1:  # the usual case: one storage
        for storage, keys in groups.values():
            items = await storage.read(list(keys), target_cls=_StateDocument)
            for key, (_index, scope) in keys.items():
                scope._set_loaded(context, items.get(key))
        return

    async def read_group(storage: Storage, keys: dict[str, tuple[int, AgentState]]) -> None:
        try:
            items = await storage.read(list(keys), target_cls=_StateDocument)
        except BaseException as error:
            for index, _scope in keys.values():
                failures[index] = error
            raise
        for key, (_index, scope) in keys.items():
            scope._set_loaded(context, items.get(key))

    async def run_custom(index: int, load: Awaitable[None]) -> None:
        try:
            await load
        except BaseException as error:
            failures[index] = error
            raise

    calls = [read_group(storage, keys) for storage, keys in groups.values()]
    calls.extend(run_custom(index, load) for index, load in custom)
    if len(calls) == 1:
        with contextlib.suppress(Exception):  # recorded in failures, raised below
            await calls[0]
    elif calls:
        with contextlib.suppress(Exception):
            await _run_all(calls)
    if failures:
        raise failures[min(failures)]


async def _write_batch(storage: Storage, pendings: list[_PendingSave]) -> None:
    """Write the documents of several scopes at once; mark the ones that were written."""
    by_key: dict[str, _PendingSave] = {}
    for pending in pendings:
        if pending.key in by_key:  # two scopes on one document: write them one after another
            await storage.write({pending.key: pending.document})
            pending.mark_saved()
        else:
            by_key[pending.key] = pending
    conditions = {key: pending.document.e_tag for key, pending in by_key.items()}
    try:
        await storage.write({key: pending.document for key, pending in by_key.items()})
    except BaseException:
        for key, pending in by_key.items():
            if pending.document.e_tag != conditions[key]:  # the store gave it a new eTag
                pending.mark_saved()
        raise
    for pending in by_key.values():
        pending.mark_saved()
