"""``ChannelId``: a channel name with an optional sub-channel (``"msteams:COPILOT"``)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, PlainSerializer
from pydantic_core import PydanticCustomError, core_schema

from .errors import activity_errors

__all__ = ["BaseChannelId", "ChannelId", "FullChannelId"]


class ChannelId(str):
    """A channel id string that knows its base channel and sub-channel.

    ``ChannelId("msteams:COPILOT")`` and ``ChannelId(channel="msteams", sub_channel="COPILOT")``
    are the same value. It is a ``str``, so it compares equal to the full plain string.
    """

    _channel: str
    _sub_channel: str | None

    def __new__(
        cls,
        value: str | None = None,
        *,
        channel: str | None = None,
        sub_channel: str | None = None,
    ) -> ChannelId:
        if isinstance(value, ChannelId) and channel is None and sub_channel is None:
            return value
        if value is not None:
            if channel is not None or sub_channel is not None:
                raise ValueError(str(activity_errors.ChannelIdValueConflict))
            if not isinstance(value, str):
                raise TypeError(activity_errors.InvalidChannelIdType.format(type(value).__name__))
            text = value.strip()
            base, sep, sub = text.partition(":")
            base = base.strip()
            sub_value: str | None = sub.strip() if sep else None
        else:
            if channel is None:
                raise ValueError("ChannelId needs a value or a channel= keyword")
            if not isinstance(channel, str):
                raise TypeError(activity_errors.InvalidChannelIdType.format(type(channel).__name__))
            base = channel.strip()
            if ":" in base:
                raise TypeError(activity_errors.InvalidChannelIdChannel.format(channel))
            sub_value = sub_channel.strip() if sub_channel is not None else None
        if not base:
            raise ValueError(str(activity_errors.ChannelIdValueMustBeNonEmpty))
        if not sub_value:
            sub_value = None
        full = f"{base}:{sub_value}" if sub_value is not None else base
        obj = super().__new__(cls, full)
        obj._channel = base
        obj._sub_channel = sub_value
        return obj

    @property
    def channel(self) -> str:
        """The base channel, e.g. ``msteams``."""
        return self._channel

    @property
    def sub_channel(self) -> str | None:
        """The sub-channel, e.g. ``COPILOT``, or ``None``."""
        return self._sub_channel

    def __repr__(self) -> str:
        return f"ChannelId({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (ChannelId, (str(self),))

    @staticmethod
    def get_channel(value: str | None) -> str | None:
        """The base channel of a string or ``ChannelId``; ``None`` passes through."""
        if value is None:
            return None
        return ChannelId(value).channel

    @staticmethod
    def get_sub_channel(value: str | None) -> str | None:
        """The sub-channel of a string or ``ChannelId``, or ``None``."""
        if value is None:
            return None
        return ChannelId(value).sub_channel

    def includes(self, other: str) -> bool:
        """Treat ``self`` as a filter and tell whether ``other`` passes it.

        The channel must match unless the filter's channel is ``*``. A filter with no
        sub-channel, or with ``*``, admits every sub-channel; a specific sub-channel admits
        only itself. Comparison is case-sensitive.
        """
        target = ChannelId(other)
        if self._channel != "*" and self._channel != target.channel:
            return False
        if self._sub_channel is None or self._sub_channel == "*":
            return True
        return self._sub_channel == target.sub_channel

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        parse = _parse_known if cls is ChannelId else cls
        from_str = core_schema.no_info_after_validator_function(parse, core_schema.str_schema())
        return core_schema.json_or_python_schema(
            json_schema=from_str,
            python_schema=core_schema.union_schema([core_schema.is_instance_schema(cls), from_str]),
            serialization=core_schema.plain_serializer_function_ser_schema(
                str, return_schema=core_schema.str_schema(), when_used="always"
            ),
        )


_KNOWN: dict[str, ChannelId] = {}
_KNOWN_LIMIT = 256


def _parse_known(value: str) -> ChannelId:
    """``ChannelId(value)``, shared between activities for the few ids a server sees.

    A ``ChannelId`` never changes, so one instance per distinct text serves every activity
    (validation then builds no new object for it). At most ``_KNOWN_LIMIT`` texts are kept.
    """
    found = _KNOWN.get(value)
    if found is None:
        found = ChannelId(value)
        if len(_KNOWN) < _KNOWN_LIMIT:
            _KNOWN[value] = found
    return found


def _from_python(value: Any) -> ChannelId:
    if isinstance(value, ChannelId):
        return value
    if isinstance(value, str):
        return ChannelId(value)
    raise PydanticCustomError(
        "channel_id_type",
        "a channel id must be a string such as 'msteams', not {kind}",
        {"kind": type(value).__name__},
    )


def _base_channel(value: str) -> str:
    # Assignment bypasses validation, so accept a plain string too.
    if isinstance(value, ChannelId):
        return value.channel
    return ChannelId(value).channel


FullChannelId = ChannelId
"""A ``ChannelId`` field serialised as the full ``channel:sub`` string."""

BaseChannelId = Annotated[
    ChannelId, PlainSerializer(_base_channel, return_type=str, when_used="always")
]
"""A ``ChannelId`` field serialised as its base channel only (the Activity wire form)."""
