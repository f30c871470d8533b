"""The conversation scope and the turn-only temp scope."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from ...errors import StorageError
from ...state import AgentState
from ...state._agent_state import _CachedState, _PendingSave
from ...state._user_state import _activity_for_key, _channel_part, _require_id
from ...storage import Storage, StoreItem

if TYPE_CHECKING:
    from ..._turn_context import TurnContext
    from .._input_file import InputFile

__all__ = ["ConversationState", "TempState"]

_T = TypeVar("_T")


class ConversationState(AgentState):
    """Values kept per conversation, under ``"{channelId}/conversations/{conversation.id}"``.

    ``channelId`` is the full channel id, sub-channel included (``msteams:COPILOT``), so each
    sub-channel has its own state. Loaded values are cached in the turn under
    ``"ConversationState"``.
    """

    CONTEXT_SERVICE_KEY = "ConversationState"

    def __init__(self, storage: Storage) -> None:
        super().__init__(storage, self.CONTEXT_SERVICE_KEY)

    def get_storage_key(
        self, turn_context: TurnContext, *, target_cls: type[StoreItem] | None = None
    ) -> str:
        """``"{channelId}/conversations/{conversation.id}"``; ``ValueError`` naming the
        missing id."""
        activity = _activity_for_key(turn_context, "ConversationState")
        channel = _channel_part(activity, "ConversationState")
        conversation = activity.conversation
        conversation_id = _require_id(
            conversation.id if conversation is not None else None,
            "ConversationState",
            "conversation.id",
        )
        return f"{channel}/conversations/{conversation_id}"


class _TurnOnlyStorage(Storage):
    """The storage of the temp scope: there is none, and using it is a programming error."""

    async def read(self, keys: list[str], *, target_cls: Any, **kwargs: Any) -> dict[str, Any]:
        raise StorageError("temp state lives only for the turn and is never read from storage")

    async def write(self, changes: dict[str, StoreItem]) -> None:
        raise StorageError("temp state lives only for the turn and is never written to storage")

    async def delete(self, keys: list[str]) -> None:
        raise StorageError("temp state lives only for the turn and is never in storage")


_TURN_ONLY = _TurnOnlyStorage()


class TempState(AgentState):
    """Values that live for one turn only (scope name ``temp``); never loaded or saved.

    The application keeps the incoming text in :attr:`input` and downloaded files in
    :attr:`input_files`. Typed values can be kept by class with :meth:`set_typed_value`.
    """

    INPUT_FILES_KEY = "inputFiles"
    AUTH_TOKEN_KEY = "authTokens"
    SCOPE_NAME = "temp"

    def __init__(self) -> None:
        super().__init__(_TURN_ONLY, self.SCOPE_NAME)
        self._cached = _CachedState({}, None)
        self.input: str | None = None

    @property
    def name(self) -> str:
        """The scope name, ``"temp"``."""
        return self.SCOPE_NAME

    @property
    def input_files(self) -> list[InputFile]:
        """The files that came with the activity (filled by the file downloaders)."""
        files: list[InputFile] = self.get().setdefault(self.INPUT_FILES_KEY, [])
        return files

    @input_files.setter
    def input_files(self, value: list[InputFile]) -> None:
        self.set_value(self.INPUT_FILES_KEY, value)

    def get_typed_value(self, type_cls: type[_T]) -> _T | None:
        """The value stored for ``type_cls`` by :meth:`set_typed_value`, or ``None``."""
        value: _T | None = self.get_value(_qualified_name(type_cls))
        return value

    def set_typed_value(self, value: Any) -> None:
        """Keep ``value`` under the qualified name of its class."""
        self.set_value(_qualified_name(type(value)), value)

    def get_storage_key(
        self, turn_context: TurnContext, *, target_cls: type[StoreItem] | None = None
    ) -> str:
        return self.SCOPE_NAME

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        """Nothing to load: temp values exist only in memory."""

    async def save(self, turn_context: TurnContext, force: bool = False) -> None:
        """Nothing to save: temp values are dropped after the turn."""

    async def delete(self, turn_context: TurnContext) -> None:
        """Drop every temp value."""
        self.get().clear()

    async def delete_state(self, turn_context: TurnContext, **_: Any) -> None:
        """Drop every temp value (the same as :meth:`delete`)."""
        await self.delete(turn_context)

    async def save_changes(self, turn_context: TurnContext, force: bool = False, **_: Any) -> None:
        """Nothing to save, even with ``force``: temp values are dropped after the turn."""

    def is_loaded(self) -> bool:
        """Always true: temp values need no loading."""
        return True

    def _prepare_save(self, turn_context: TurnContext, force: bool) -> _PendingSave | None:
        return None

    def _cache_of(self, turn_context: TurnContext | None) -> _CachedState | None:
        return self._cached  # never shared through turn_context.turn_state


def _qualified_name(type_cls: type[Any]) -> str:
    return f"{type_cls.__module__}.{type_cls.__qualname__}"
