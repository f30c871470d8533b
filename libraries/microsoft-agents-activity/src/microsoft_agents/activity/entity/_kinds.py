"""The small known entity kinds: mentions, product info, streaming, places and things."""

from __future__ import annotations

from enum import Enum
from typing import Any

from .._accounts import ChannelAccount
from .._model import NonEmptyString
from ._base import Entity, EntityTypes

__all__ = [
    "ActivityTreatment",
    "ActivityTreatmentTypes",
    "GeoCoordinates",
    "Mention",
    "Place",
    "ProductInfo",
    "StreamInfo",
    "Thing",
]


class Mention(Entity):
    """An ``@mention`` of an account inside the activity text."""

    _canonical_type = EntityTypes.MENTION.value

    type: str = EntityTypes.MENTION.value
    mentioned: ChannelAccount | None = None
    text: str | None = None


class ProductInfo(Entity):
    """Names the sub-channel (product) an activity came through, e.g. ``COPILOT``."""

    _canonical_type = EntityTypes.PRODUCT_INFO.value

    type: str = EntityTypes.PRODUCT_INFO.value
    id: str | None = None


class StreamInfo(Entity):
    """Sequencing metadata of a streamed reply."""

    _canonical_type = EntityTypes.STREAM_INFO.value

    type: str = EntityTypes.STREAM_INFO.value
    stream_type: NonEmptyString = "streaming"
    stream_sequence: int | None = None
    stream_id: str = ""
    stream_result: str = ""
    feedback_loop_enabled: bool = False
    feedback_loop: dict[str, Any] | None = None


class ActivityTreatmentTypes(str, Enum):
    TARGETED = "targeted"

    def __str__(self) -> str:
        return str(self.value)


class ActivityTreatment(Entity):
    """How the channel should treat the activity (e.g. shown only to its recipient)."""

    _canonical_type = EntityTypes.ACTIVITY_TREATMENT.value

    type: str = EntityTypes.ACTIVITY_TREATMENT.value
    treatment: str | None = None


class GeoCoordinates(Entity):
    _canonical_type = EntityTypes.GEO_COORDINATES.value

    type: str = EntityTypes.GEO_COORDINATES.value
    elevation: float | None = None
    latitude: float | None = None
    longitude: float | None = None
    name: NonEmptyString | None = None


class Place(Entity):
    _canonical_type = EntityTypes.PLACE.value

    type: str = EntityTypes.PLACE.value
    address: Any = None
    geo: Any = None
    has_map: Any = None
    name: NonEmptyString | None = None


class Thing(Entity):
    _canonical_type = EntityTypes.THING.value

    type: str = EntityTypes.THING.value
    name: NonEmptyString | None = None
