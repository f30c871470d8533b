"""Selectors behind the route decorators: plain functions of the turn context."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Union

from microsoft_agents.activity import (
    ActivityTypes,
    ChannelId,
    ConversationUpdateTypes,
    MessageReactionTypes,
    MessageUpdateTypes,
)

if TYPE_CHECKING:
    from .._turn_context import TurnContext

TextSelector = Union[str, "re.Pattern[str]", Sequence[Union[str, "re.Pattern[str]"]]]
"""A string (exact match), a compiled regex (full match) or a list of them (any)."""

_Selector = Callable[["TurnContext"], bool]


def text_matches(select: TextSelector | None, text: str | None) -> bool:
    """Whether ``text`` (``None`` counts as ``""``) passes ``select`` (``None`` passes all)."""
    if select is None:
        return True
    value = text or ""
    if isinstance(select, str):
        return value == select
    if isinstance(select, re.Pattern):
        return select.fullmatch(value) is not None
    return any(text_matches(item, value) for item in select)


def _type_of(value: Any) -> str:
    return str(value.value) if hasattr(value, "value") else str(value)


def activity_type(types: str | Sequence[str]) -> _Selector:
    """Activity type equals ``types`` (or is one of them)."""
    wanted = {_type_of(types)} if isinstance(types, str) else {_type_of(t) for t in types}
    return lambda context: context.activity.type in wanted


def named(kind: str, select: TextSelector | None) -> _Selector:
    """Activity of type ``kind`` whose ``name`` passes ``select``."""

    def selector(context: TurnContext) -> bool:
        activity = context.activity
        return activity.type == kind and text_matches(select, activity.name)

    return selector


def message_text(select: TextSelector | None) -> _Selector:
    """A message whose text passes ``select``."""

    def selector(context: TurnContext) -> bool:
        activity = context.activity
        return activity.type == ActivityTypes.message and text_matches(select, activity.text)

    return selector


def channel_data_event_type(channel_data: Any) -> str | None:
    """The ``eventType`` of channel data given as a dict or as an object."""
    if channel_data is None:
        return None
    if isinstance(channel_data, dict):
        value = channel_data.get("eventType", channel_data.get("event_type"))
    else:
        value = getattr(channel_data, "event_type", None)
        if value is None:
            value = getattr(channel_data, "eventType", None)
    return value if isinstance(value, str) else None


def conversation_update(update_type: str) -> _Selector:
    """A conversation update of the given kind."""
    kind = _type_of(update_type)

    def selector(context: TurnContext) -> bool:
        activity = context.activity
        if activity.type != ActivityTypes.conversation_update:
            return False
        if kind == ConversationUpdateTypes.MEMBERS_ADDED:
            return bool(activity.members_added)
        if kind == ConversationUpdateTypes.MEMBERS_REMOVED:
            return bool(activity.members_removed)
        return channel_data_event_type(activity.channel_data) == kind

    return selector


def message_reaction(reaction_type: str) -> _Selector:
    """A message reaction that adds (``reactionsAdded``) or removes reactions."""
    kind = _type_of(reaction_type)

    def selector(context: TurnContext) -> bool:
        activity = context.activity
        if activity.type != ActivityTypes.message_reaction:
            return False
        if kind == MessageReactionTypes.REACTIONS_ADDED:
            return bool(activity.reactions_added)
        if kind == MessageReactionTypes.REACTIONS_REMOVED:
            return bool(activity.reactions_removed)
        return False

    return selector


def message_update(update_type: str) -> _Selector:
    """An edited, undeleted (``messageUpdate``) or soft-deleted (``messageDelete``) message."""
    kind = _type_of(update_type)
    expected = (
        ActivityTypes.message_delete
        if kind == MessageUpdateTypes.SOFT_DELETE_MESSAGE
        else ActivityTypes.message_update
    )

    def selector(context: TurnContext) -> bool:
        activity = context.activity
        if activity.type != expected:
            return False
        return channel_data_event_type(activity.channel_data) == kind

    return selector


def channel(channel_id: str | ChannelId) -> _Selector:
    """The activity comes from a channel that ``channel_id`` includes (``msteams``,
    ``msteams:COPILOT``, ``*``...)."""
    channel_filter = ChannelId(channel_id)

    def selector(context: TurnContext) -> bool:
        incoming = context.activity.channel_id
        return incoming is not None and channel_filter.includes(incoming)

    return selector


def agentic(inner: Callable[[TurnContext], Any]) -> Callable[[TurnContext], Any]:
    """``inner``, restricted to agentic requests."""

    async def selector(context: TurnContext) -> bool:
        if not context.activity.is_agentic_request():
            return False
        result = inner(context)
        if hasattr(result, "__await__"):
            result = await result
        return bool(result)

    return selector


def all_of(*selectors: _Selector) -> _Selector:
    """Every selector accepts the turn."""
    return lambda context: all(selector(context) for selector in selectors)
