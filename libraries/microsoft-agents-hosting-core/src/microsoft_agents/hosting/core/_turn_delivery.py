"""The pieces of a turn's delivery path: reply cloning and addressing, interceptor chain
steps, and what counts as an answer to the user (for the typing indicator)."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ChannelId,
    ConversationAccount,
    ConversationReference,
    Mention,
    ResourceResponse,
    StreamInfo,
)

if TYPE_CHECKING:
    from ._turn_context import TurnContext

__all__ = [
    "_ChainStep",
    "_DeliveryWatcher",
    "_StaticHelpers",
    "_answers_user",
    "_clone",
    "_reply_addressing",
]

_MESSAGE = ActivityTypes.message.value
_STREAMINFO = "streaminfo"
_IMMUTABLE = (str, int, float, bool, bytes, datetime, date, time)


def _clone(value: Any) -> Any:
    """A deep copy of ``value``, several times faster than ``copy.deepcopy`` on models.

    Models are copied shallowly and their mutable field values cloned in turn; immutable
    values (strings, numbers, datetimes) are shared.
    """
    if value is None or isinstance(value, _IMMUTABLE):
        return value
    if isinstance(value, BaseModel):
        clone = value.model_copy()
        fields = clone.__dict__
        for name, item in fields.items():
            if item is not None and not isinstance(item, _IMMUTABLE):
                fields[name] = _clone(item)
        extra = clone.__pydantic_extra__
        if extra:
            for name, item in extra.items():
                extra[name] = _clone(item)
        return clone
    if isinstance(value, list):
        return [_clone(item) for item in value]
    if isinstance(value, dict):
        return {key: _clone(item) for key, item in value.items()}
    return copy.deepcopy(value)


def _answers_user(activity: Activity) -> bool:
    """A message, or a streamed update (an activity with a ``streaminfo`` entity)."""
    if activity.type == _MESSAGE:
        return True
    entities = activity.entities
    if not entities:
        return False
    return any(
        isinstance(entity, StreamInfo) or getattr(entity, "type", None) == _STREAMINFO
        for entity in entities
    )


class _DeliveryWatcher(Protocol):
    """Sees the activities a turn delivers, updates or deletes; never changes them."""

    def _delivering(self, activities: list[Activity]) -> None: ...

    def _changing(self) -> None: ...


class _ChainStep:
    """Step ``index`` of an interceptor chain; calling it runs that handler (or ``last``).

    Handlers receive the next step as their ``next`` callable. One small object per step,
    without closures, so a turn leaves no reference cycle behind for the garbage collector.
    """

    __slots__ = ("_arg", "_chain", "_context", "_index", "_last")

    def __init__(
        self,
        context: TurnContext,
        chain: tuple[Any, ...],
        index: int,
        arg: object,
        last: Callable[[], Awaitable[Any]],
    ) -> None:
        self._context = context
        self._chain = chain
        self._index = index
        self._arg = arg
        self._last = last

    def __call__(self) -> Awaitable[Any]:
        chain = self._chain
        index = self._index
        if index == len(chain):
            return self._last()
        following = _ChainStep(self._context, chain, index + 1, self._arg, self._last)
        handler = chain[index]
        return handler(self._context, self._arg, following)


def _reply_addressing(incoming: Activity) -> dict[str, Any] | None:
    """The fields ``apply_conversation_reference(incoming.get_conversation_reference())`` sets
    on a new outgoing activity, or ``None`` when ``incoming`` is not an ordinary, well-formed
    activity (then the general path builds the reference and reports any problem with it).
    """
    conversation = incoming.conversation
    if type(conversation) is not ConversationAccount:
        return None
    channel_id = incoming.channel_id
    sender = incoming.from_property
    agent = incoming.recipient
    if (
        (channel_id is not None and type(channel_id) is not ChannelId)
        or (sender is not None and type(sender) is not ChannelAccount)
        or (agent is not None and type(agent) is not ChannelAccount)
    ):
        return None
    fields: dict[str, Any] = {"conversation": conversation}
    if channel_id is not None:
        fields["channel_id"] = channel_id
    for name, value in (
        ("service_url", incoming.service_url),
        ("locale", incoming.locale),
        ("reply_to_id", None if incoming._replies_without_reply_to() else incoming.id),
    ):
        if value is not None:
            if type(value) is not str or not value:
                return None  # the reference would refuse it: let the general path say so
            fields[name] = value
    if agent is not None:
        fields["from_property"] = agent
    if sender is not None:
        fields["recipient"] = sender
    return fields


def _copy_turn(source: Any, target: Any) -> None:
    """``TurnContext.copy_to``: ``target`` gets ``source``'s adapter, activity, identity,
    services, buffered replies, watchers and ``responded`` flag, and the very interceptor
    lists (a handler added later on either context runs for both)."""
    from ._turn_context import TurnContext  # (that module imports this one)

    if not isinstance(target, TurnContext):
        raise TypeError(f"copy_to() needs a TurnContext, got {type(target).__name__}")
    source._on_send = source._on_send or []  # lists both contexts then share
    source._on_update = source._on_update or []
    source._on_delete = source._on_delete or []
    turn = ("adapter", "_activity", "_identity", "_responded", "_answers", "_services")
    for name in (*turn, "_buffered", "_watchers", "_on_send", "_on_update", "_on_delete"):
        setattr(target, name, getattr(source, name))


class _StaticHelpers:
    """The static activity helpers ``TurnContext`` offers (each forwards to the Activity)."""

    @staticmethod
    def apply_conversation_reference(
        activity: Activity, reference: ConversationReference, is_incoming: bool = False
    ) -> Activity:
        """Address ``activity`` with ``reference``, as the Activity method of that name does."""
        return activity.apply_conversation_reference(reference, is_incoming)

    @staticmethod
    def get_reply_conversation_reference(
        activity: Activity, reply: ResourceResponse
    ) -> ConversationReference:
        """The reference of ``activity``'s conversation pointing at the sent ``reply``."""
        return activity.get_reply_conversation_reference(reply)

    @staticmethod
    def remove_recipient_mention(activity: Activity) -> str:
        """Strip mentions of the recipient from the text; returns the new text."""
        return activity.remove_recipient_mention()

    @staticmethod
    def remove_mention_text(activity: Activity, identifier: str) -> str:
        """Strip mentions of account ``identifier`` from the text; returns the new text."""
        return activity.remove_mention_text(identifier)

    @staticmethod
    def get_mentions(activity: Activity) -> list[Mention]:
        """Every mention in ``activity``."""
        return activity.get_mentions()
