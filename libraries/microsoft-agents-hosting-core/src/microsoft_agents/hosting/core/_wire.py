"""Turn results in their wire form: JSON-ready values, and the replies an ``expectReplies``
(or ``stream``) request collects for its HTTP answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from microsoft_agents.activity import Activity, DeliveryModes

__all__ = ["_buffers_replies", "dump_json_value", "encode_replies"]

_JSON_LEAVES = frozenset({str, int, float, bool, type(None)})
_BUFFERED_DELIVERY = frozenset({DeliveryModes.expect_replies.value, DeliveryModes.stream.value})


def _buffers_replies(activity: Activity) -> bool:
    """Whether the replies to ``activity`` go back in the HTTP answer, not to the channel."""
    return activity.delivery_mode in _BUFFERED_DELIVERY


def dump_json_value(value: Any) -> Any:
    """``value`` with every pydantic model replaced by its wire form (by alias, set fields)."""
    kind = type(value)
    if kind in _JSON_LEAVES:
        return value
    if kind is dict:  # the common case, without a call per plain leaf
        return {
            key: item if type(item) in _JSON_LEAVES else dump_json_value(item)
            for key, item in value.items()
        }
    if kind is list:
        return [item if type(item) in _JSON_LEAVES else dump_json_value(item) for item in value]
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, dict):
        return {key: dump_json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [dump_json_value(item) for item in value]
    return value


def encode_replies(replies: list[Activity]) -> bytes:
    """``{"activities": [...]}`` as compact JSON bytes, each reply in its wire form.

    The same bytes as rendering the ``body`` :meth:`ChannelServiceAdapter._turn_result` builds,
    written by pydantic straight from the models.
    """
    parts = [
        type(reply).__pydantic_serializer__.to_json(reply, by_alias=True, exclude_unset=True)
        for reply in replies
    ]
    return b'{"activities":[' + b",".join(parts) + b"]}"
